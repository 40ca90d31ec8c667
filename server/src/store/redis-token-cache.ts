import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { guardStore } from './store-errors.js'
import type { AccessTokenCache, CachedAccessToken } from './types.js'

// Deletes the lock only when we still own it; a plain DEL could free a lock that expired and was
// taken by another instance meanwhile.
const RELEASE_LOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`

export interface RedisTokenCacheOptions {
  redis: Redis
  /** Prefix of every key, so several apps (or test runs) can share one Redis. @default 'uma:' */
  keyPrefix?: string
}

/**
 * The WeChat access_tokens and their refresh locks in Redis: data that may be lost (a restart costs
 * one upstream token request). Lock leases are Redis's own `PX` timers.
 */
export class RedisTokenCache implements AccessTokenCache {
  private readonly redis: Redis
  private readonly tokenPrefix: string
  private readonly lockPrefix: string

  constructor({ redis, keyPrefix = 'uma:' }: RedisTokenCacheOptions) {
    this.redis = redis
    // One token per mini-program AppID.
    this.tokenPrefix = `${keyPrefix}wx:access_token:`
    this.lockPrefix = `${keyPrefix}lock:`
  }

  private guard<T>(work: () => Promise<T>): Promise<T> {
    return guardStore('Redis', work)
  }

  getAccessToken(appId: string): Promise<CachedAccessToken | null> {
    return this.guard(async () => {
      const raw = await this.redis.get(this.tokenPrefix + appId)
      return raw ? (JSON.parse(raw) as CachedAccessToken) : null
    })
  }

  setAccessToken(appId: string, value: CachedAccessToken): Promise<void> {
    return this.guard(async () => {
      await this.redis.set(this.tokenPrefix + appId, JSON.stringify(value))
    })
  }

  acquireLock(name: string, ttlMs: number): Promise<string | null> {
    return this.guard(async () => {
      const owner = randomUUID()
      return (await this.redis.set(this.lockPrefix + name, owner, 'PX', ttlMs, 'NX')) === 'OK' ? owner : null
    })
  }

  releaseLock(name: string, owner: string): Promise<void> {
    return this.guard(async () => {
      await this.redis.eval(RELEASE_LOCK_LUA, 1, this.lockPrefix + name, owner)
    })
  }
}
