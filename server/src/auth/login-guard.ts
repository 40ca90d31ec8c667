import type { FastifyRequest } from 'fastify'
import type { Redis } from 'ioredis'
import type { Clock } from '../base/clock.js'
import { HttpAuthError, isHttpAuthError, SemaphoreTimeoutError } from '../base/errors.js'
import type { RateLimitRule } from '../config/options.js'
import { clientAddress } from '../http/client-address.js'
import { KeyedSemaphore } from './keyed-semaphore.js'
import { MemoryTokenBuckets, RedisTokenBuckets, type TokenBuckets } from './token-bucket.js'
import { Wakeups } from './wakeups.js'

export interface LoginGuardOptions {
  /** The bucket of codes WeChat may reject per client address: `max` tokens, refilled over `windowSeconds`. */
  failures: RateLimitRule
  /** code2Session calls in flight per client address on this instance. */
  concurrency: number
  /** How long a login may wait for its turn (a permit and a token) before it is answered 429. */
  waitMs: number
  /** Shares the buckets between instances; each instance keeps its own without it. */
  redis: Redis | null
  /** The clock of the in-memory buckets and the wait deadline (Redis buckets use Redis' clock). */
  now: Clock
}

export interface LoginGuard {
  /** Runs `exchange` (claim + code2Session) once this address has a token to spend, waiting its turn for up to `waitMs`. */
  run<T>(request: FastifyRequest, exchange: () => Promise<T>): Promise<T>
}

const REJECTED_CODE = new Set(['WX_CODE_INVALID', 'WX_CODE_USED', 'PROVIDER_CODE_INVALID', 'PROVIDER_CODE_USED'])

/** The vendor itself said the code is bad (WeChat 40029, 40163 …): the call that cost quota and proved nothing. */
function isRejectedCode(error: unknown): boolean {
  return isHttpAuthError(error) && (error.wxErrcode !== undefined || error.providerCode !== undefined) && REJECTED_CODE.has(error.code)
}

function rateLimited(retryInMs: number, message: string): HttpAuthError {
  return new HttpAuthError('RATE_LIMITED', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryInMs / 1000)) })
}

/**
 * Keeps junk login codes from burning the app's code2Session quota without refusing real users
 * behind one carrier NAT address (see the server README, "Rate limits"):
 * - each code2Session call takes a token from its address's bucket _before_ it starts, so calls
 *   in flight are counted too and a burst cannot overshoot; a call that did not end in a code
 *   WeChat rejected (a login, a replay our own guard caught, an outage) gives its token back.
 *   Only junk spends the bucket, which refills continuously: an address is never shut out for
 *   longer than one token takes to come back;
 * - a login that finds no token or no free permit waits its turn instead of being refused, for
 *   as long as the client still waits for its answer (`waitMs`); only then is it a 429.
 */
export function createLoginGuard(options: LoginGuardOptions): LoginGuard {
  const rule = { capacity: options.failures.max, refillMs: options.failures.windowSeconds * 1000 }
  const { now } = options
  const buckets: TokenBuckets = options.redis ? new RedisTokenBuckets(options.redis, rule) : new MemoryTokenBuckets(rule, now)
  const turns = new KeyedSemaphore(options.concurrency)
  const refunds = new Wakeups()
  // Calls in flight per address on this instance: each may give its token back any moment.
  const inFlight = new Map<string, number>()
  const track = (address: string, delta: number) => {
    const count = (inFlight.get(address) ?? 0) + delta
    if (count > 0) inFlight.set(address, count)
    else inFlight.delete(address)
  }

  /** Takes a token for `address`, waiting for a refund or the refill until `deadline`. */
  async function takeToken(address: string, deadline: number): Promise<void> {
    for (;;) {
      const result = await buckets.take(address)
      if (result.taken) return
      const left = deadline - now()
      if (result.retryInMs <= left) await refunds.wait(address, result.retryInMs)
      // Valid logins in flight give their tokens back as they finish: wait for one of them.
      else if (left > 0 && inFlight.has(address)) await refunds.wait(address, left)
      else {
        const seconds = Math.ceil(result.retryInMs / 1000)
        throw rateLimited(result.retryInMs, `Too many rejected login codes from this address; retry in ${seconds} s`)
      }
    }
  }

  return {
    async run(request, exchange) {
      const address = clientAddress(request)
      const deadline = now() + options.waitMs
      let release: () => void
      try {
        release = await turns.acquire(address, options.waitMs)
      } catch (error) {
        if (!(error instanceof SemaphoreTimeoutError)) throw error
        throw rateLimited(1000, 'Too many logins in progress from this address; retry shortly')
      }
      try {
        await takeToken(address, deadline)
        track(address, 1)
        let spent = false
        try {
          return await exchange()
        } catch (error) {
          spent = isRejectedCode(error)
          throw error
        } finally {
          track(address, -1)
          if (!spent) {
            await buckets.refund(address)
            refunds.wakeOne(address)
          } else {
            // No token comes back: whoever waits for one re-checks whether any is still in flight.
            refunds.wakeAll(address)
          }
        }
      } finally {
        release()
      }
    },
  }
}
