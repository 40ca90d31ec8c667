import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HttpAuthError, isHttpAuthError, SemaphoreTimeoutError } from '../base/errors.js'
import { clientAddress } from '../http/client-address.js'
import type { RateLimitRule } from '../config/options.js'
import { KeyedSemaphore } from './keyed-semaphore.js'

export interface LoginGuardOptions {
  /** Codes WeChat may reject per client address and window. */
  failures: RateLimitRule
  /** code2Session calls in flight per client address on this instance. */
  concurrency: number
  /** How long a login may wait for its turn before it is answered 429. */
  waitMs: number
}

export interface LoginGuard {
  /** Runs `exchange` (claim + code2Session) unless this address has used up its failure budget. */
  run<T>(request: FastifyRequest, exchange: () => Promise<T>): Promise<T>
}

/** WeChat itself said the code is bad (40029, 40163): the call that cost quota and proved nothing. */
function isRejectedCode(error: unknown): boolean {
  return isHttpAuthError(error) && error.wxErrcode !== undefined && (error.code === 'WX_CODE_INVALID' || error.code === 'WX_CODE_USED')
}

function rateLimited(retryAfterSeconds: number, message: string): HttpAuthError {
  return new HttpAuthError('RATE_LIMITED', message, { retryAfterSeconds: Math.max(1, retryAfterSeconds) })
}

/**
 * Keeps junk login codes from burning the app's code2Session quota without slowing down real
 * users behind one carrier NAT address:
 * - only codes WeChat rejects are counted (per client address, in @fastify/rate-limit's store, so
 *   shared between instances with Redis); successful logins cost nothing;
 * - a count read before the call cannot see the calls still in flight, so a concurrent burst would
 *   all pass it: at most `concurrency` calls per address run at once and the rest wait their turn,
 *   each reading the count when its turn comes. 200 junk codes at once therefore cause about
 *   `failures.max + concurrency` upstream calls per instance, while 200 valid logins all pass.
 */
export function createLoginGuard(scope: FastifyInstance, options: LoginGuardOptions): LoginGuard {
  const failures = scope.createRateLimit({
    max: options.failures.max,
    timeWindow: options.failures.windowSeconds * 1000,
    keyGenerator: (request) => `login-failures:${clientAddress(request)}`,
  })
  const turns = new KeyedSemaphore(options.concurrency)

  return {
    async run(request, exchange) {
      const address = clientAddress(request)
      let release: () => void
      try {
        release = await turns.acquire(address, options.waitMs)
      } catch (error) {
        if (!(error instanceof SemaphoreTimeoutError)) throw error
        throw rateLimited(Math.ceil(options.waitMs / 1000), 'Too many logins in progress from this address; retry later')
      }
      try {
        const budget = await failures(request, { increment: false })
        if (!budget.isAllowed && budget.remaining === 0) {
          throw rateLimited(budget.ttlInSeconds, `Too many rejected login codes from this address; retry in ${budget.ttlInSeconds} s`)
        }
        try {
          return await exchange()
        } catch (error) {
          if (isRejectedCode(error)) await failures(request)
          throw error
        }
      } finally {
        release()
      }
    },
  }
}
