import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Redis } from 'ioredis'
import { HttpAuthError } from '../base/errors.js'
import type { RateLimitRule } from '../config/options.js'
import { clientAddress } from './client-address.js'

/**
 * @fastify/rate-limit for this scope only (`global: false`: routes opt in with `rateLimitRoute`).
 * With Redis the counters are shared by every instance; without it each instance counts alone.
 */
export async function registerRateLimits(scope: FastifyInstance, redis: Redis | null): Promise<void> {
  await scope.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'uma:rl:' } : {}),
    // Counters are data that may be lost: an unreachable Redis must not stop logins.
    skipOnError: true,
    cache: 10_000,
    keyGenerator: clientAddress,
    errorResponseBuilder: (_request, context) =>
      new HttpAuthError('RATE_LIMITED', `Too many requests; retry in ${context.after}`, {
        retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  })
}

/** A route's `config.rateLimit`: counted per client address, before the body is read. */
export function perAddress(rule: RateLimitRule) {
  return { max: rule.max, timeWindow: rule.windowSeconds * 1000 }
}

/**
 * A route's `config.rateLimit`: counted per authenticated user. Runs as a preHandler, i.e. after
 * the route's own `requireUser` preHandler has set `request.auth`.
 */
export function perUser(rule: RateLimitRule) {
  return {
    max: rule.max,
    timeWindow: rule.windowSeconds * 1000,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => (request.auth ? `user:${request.auth.userId}` : clientAddress(request)),
  }
}
