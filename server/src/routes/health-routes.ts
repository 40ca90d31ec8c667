import type { FastifyInstance } from 'fastify'
import { routeSchema } from './openapi-schema.js'
import { errors } from './schemas.js'

const ok = { description: 'OK', type: 'object', required: ['ok'], properties: { ok: { type: 'boolean', const: true } } } as const
const tags = ['health']

/** Liveness and readiness probes of the standalone server; needs the uniMpAuth plugin registered first. */
export function registerHealthRoutes(app: FastifyInstance): void {
  // Liveness: the process answers. Deliberately looks at nothing else, so a store outage makes
  // the instance unready (taken out of the load balancer), not restarted in a loop.
  app.get('/healthz', { schema: routeSchema({ tags, summary: 'Liveness: the process answers', response: { 200: ok } }) }, async () => ({
    ok: true,
  }))

  app.get(
    '/readyz',
    {
      schema: routeSchema({
        tags,
        summary: 'Readiness: the store (and Redis when configured) answer',
        response: { 200: ok, ...errors({ 503: 'NOT_READY: the message names what is unreachable' }) },
      }),
    },
    async (_request, reply) => {
      const { ready, failing } = await app.uniMpAuth.readiness()
      if (ready) return { ok: true }
      return reply.status(503).send({ code: 'NOT_READY', message: `Not ready: ${failing.join(' and ')} unreachable` })
    },
  )
}
