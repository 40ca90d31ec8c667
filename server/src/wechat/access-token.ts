import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Clock, systemClock } from '../base/clock.js'
import { HttpAuthError } from '../base/errors.js'
import type { AccessTokenCache } from '../store/types.js'

export interface FetchedAccessToken {
  accessToken: string
  /** Seconds, as WeChat reports it. */
  expiresIn: number
}

export interface AccessTokenProviderOptions {
  /** The mini-program whose token this is: the key in the cache and the name of the refresh lock. */
  appId: string
  /** Shared by every instance: Redis when configured, otherwise the SQL store. */
  cache: AccessTokenCache
  fetchToken: (forceRefresh: boolean) => Promise<FetchedAccessToken>
  now?: Clock
  /** Refresh this long before WeChat's expiry, so no caller ever uses a token about to die. @default 300000 */
  refreshAheadMs?: number
  /** Lock lease; must outlast one upstream call (a crashed holder frees it after this). @default 15000 */
  lockTtlMs?: number
  /** How often a waiting instance re-reads the shared cache. @default 50 */
  pollIntervalMs?: number
  /** Give up waiting for another instance's refresh after this long. @default 10000 */
  waitTimeoutMs?: number
}

/**
 * WeChat's access_token (one per mini-program AppID) is shared by the whole app and fetching a new one invalidates
 * nothing but counts against a daily quota, so it is cached (Redis or the SQL store) and refreshed
 * single-flight: one in-process promise for concurrent callers, plus a lock in that cache so
 * only one instance of the backend fetches at a time.
 */
export class AccessTokenProvider {
  /** The mini-program AppID whose token this provides. */
  readonly appId: string
  private readonly lockName: string
  private readonly cache: AccessTokenCache
  private readonly fetchToken: (forceRefresh: boolean) => Promise<FetchedAccessToken>
  private readonly now: Clock
  private readonly refreshAheadMs: number
  private readonly lockTtlMs: number
  private readonly pollIntervalMs: number
  private readonly waitTimeoutMs: number
  private inflight: Promise<string> | null = null

  constructor(options: AccessTokenProviderOptions) {
    this.appId = options.appId
    this.lockName = `wx_access_token:${options.appId}`
    this.cache = options.cache
    this.fetchToken = options.fetchToken
    this.now = options.now ?? systemClock
    this.refreshAheadMs = options.refreshAheadMs ?? 5 * 60_000
    this.lockTtlMs = options.lockTtlMs ?? 15_000
    this.pollIntervalMs = options.pollIntervalMs ?? 50
    this.waitTimeoutMs = options.waitTimeoutMs ?? 10_000
  }

  /** A token valid for at least `refreshAheadMs` more. */
  async get(): Promise<string> {
    const cached = await this.freshCached()
    if (cached) return cached
    return this.refreshOnce(undefined)
  }

  /** Call when WeChat rejected `staleToken` (40001/42001): replaces it unless someone already did. */
  async invalidate(staleToken: string): Promise<string> {
    return this.refreshOnce(staleToken)
  }

  private async freshCached(rejected?: string): Promise<string | null> {
    const cached = await this.cache.getAccessToken(this.appId)
    if (!cached || cached.token === rejected) return null
    return cached.expiresAt - this.refreshAheadMs > this.now() ? cached.token : null
  }

  private refreshOnce(rejected: string | undefined): Promise<string> {
    // Checked and set with no await in between, so concurrent callers share one promise.
    this.inflight ??= this.refreshAcrossInstances(rejected).finally(() => {
      this.inflight = null
    })
    return this.inflight
  }

  private async refreshAcrossInstances(rejected: string | undefined): Promise<string> {
    // Waiting is measured on the real monotonic clock: an injected test clock may stand still.
    const deadline = performance.now() + this.waitTimeoutMs
    for (;;) {
      const owner = await this.cache.acquireLock(this.lockName, this.lockTtlMs)
      if (owner) {
        try {
          // Another instance may have refreshed between our cache read and taking the lock.
          const already = await this.freshCached(rejected)
          if (already) return already
          const fetched = await this.fetchToken(rejected !== undefined)
          await this.cache.setAccessToken(this.appId, { token: fetched.accessToken, expiresAt: this.now() + fetched.expiresIn * 1000 })
          return fetched.accessToken
        } finally {
          await this.cache.releaseLock(this.lockName, owner)
        }
      }
      await sleep(this.pollIntervalMs)
      const refreshedElsewhere = await this.freshCached(rejected)
      if (refreshedElsewhere) return refreshedElsewhere
      if (performance.now() > deadline) {
        throw new HttpAuthError('WX_UNAVAILABLE', 'Timed out waiting for another instance to refresh the WeChat access_token')
      }
    }
  }
}
