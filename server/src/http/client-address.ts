import { normalizeIP } from '@fastify/rate-limit'
import type { FastifyRequest } from 'fastify'

/**
 * The address rate limits count against: the client's IP (behind a proxy only with `trustProxy`
 * set), IPv6 reduced to its /64 since one subscriber usually holds a whole /64.
 */
export function clientAddress(request: FastifyRequest): string {
  return normalizeIP(request.ip)
}
