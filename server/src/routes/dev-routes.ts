import type { FastifyInstance } from 'fastify'
import type { Services } from '../services/services.js'

/** Only registered with AUTH_DEV_ENDPOINTS=1 outside production (checked in buildApp and config). */
export function registerDevRoutes(app: FastifyInstance, services: Services): void {
  // Lets the browser end-to-end test provoke the client's 401 → re-login → replay path on demand.
  app.post('/dev/expire-tokens', async (_request, reply) => {
    services.accessTokens.expireAllIssued()
    return reply.status(204).send()
  })
}
