import type { FastifyInstance } from 'fastify'

/**
 * Fastify's JSON parser, except that an empty body counts as "no body": mini-program
 * clients often send `Content-Type: application/json` on body-less POSTs (logout).
 * Schema validation still rejects a missing body where one is required.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  // 'error' on __proto__/constructor keeps fastify's prototype-poisoning protection.
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') {
      done(null, null)
      return
    }
    parseJson(request, text, done)
  })
}
