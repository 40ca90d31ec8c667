import type { Clock } from '../clock.js'
import { ConfigError } from '../config.js'
import { RedisStore } from './redis-store.js'
import { SqliteStore } from './sqlite-store.js'
import type { AuthStore } from './types.js'

export interface CreateStoreOptions {
  now?: Clock
  refreshTtlMs?: number
  redisKeyPrefix?: string
}

/** `sqlite:<path>`, `sqlite::memory:` or `redis://` / `rediss://` URLs. */
export function createStore(url: string, options: CreateStoreOptions = {}): AuthStore {
  if (url.startsWith('sqlite:')) {
    return new SqliteStore({ filename: url.slice('sqlite:'.length) || ':memory:', now: options.now })
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    return new RedisStore({
      url,
      now: options.now,
      refreshTtlMs: options.refreshTtlMs,
      keyPrefix: options.redisKeyPrefix,
    })
  }
  throw new ConfigError(`STORE_URL must start with "sqlite:" or "redis://", got "${url}"`)
}
