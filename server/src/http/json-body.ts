import type { FastifyInstance } from 'fastify'

/**
 * Fastify's JSON parser, except that an empty body counts as "no body": mini-program
 * clients often send `Content-Type: application/json` on body-less POSTs (logout).
 * Schema validation still rejects a missing body where one is required. JSON is the only
 * type accepted (the avatar upload adds multipart in its own scope).
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  // fastify also parses text/plain by default: a text body would reach the schema and be a 400,
  // where the contract says a body that is not JSON is a 415.
  app.removeContentTypeParser('text/plain')
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
