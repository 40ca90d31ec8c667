import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { inject } from 'vitest'
import type { Clock } from '../../src/base/clock.js'
import { createStore } from '../../src/store/create-store.js'
import { RedisTokenCache } from '../../src/store/redis-token-cache.js'
import type { AccessTokenCache, AuthStore } from '../../src/store/types.js'

export interface StoreKind {
  name: string
  /** Opens a store; calling it twice with the same `shared` name opens two handles on one database. */
  open(options: { now?: Clock; shared?: string }): Promise<AuthStore>
}

export interface CacheKind {
  name: string
  /** Opens a cache; the same `shared` name gives handles on one backend (several instances). */
  open(options: { now?: Clock; shared?: string }): Promise<AccessTokenCache & { close(): Promise<void> }>
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'uma-store-'))

/** A fresh PostgreSQL schema name per store (or per shared name): tests never see each other's rows. */
export const schemaFor = (shared: string | undefined) => `t_${(shared ?? randomUUID()).replace(/[^A-Za-z0-9]/g, '_')}`

export const sqliteFileUrl = (shared: string | undefined) => `sqlite:${join(sqliteDir, `${shared ?? randomUUID()}.db`)}`

// The contract is the database's: two handles on one database must see each other's writes at
// once, so the per-instance user cache is off here (tests/store/user-cache.test.ts covers it).
const userCacheTtlMs = 0

export const STORE_KINDS: StoreKind[] = [
  {
    name: 'sqlite :memory:',
    open: ({ now }) => createStore('sqlite::memory:', { now, userCacheTtlMs }),
  },
  {
    name: 'sqlite file',
    open: ({ now, shared }) => createStore(sqliteFileUrl(shared), { now, userCacheTtlMs }),
  },
  {
    name: 'postgres',
    open: ({ now, shared }) => createStore(inject('postgresUrl'), { now, schema: schemaFor(shared), poolSize: 4, userCacheTtlMs }),
  },
]

/** Kinds whose handles can share state, i.e. model several backend instances. */
export const SHARED_STORE_KINDS = STORE_KINDS.filter((kind) => kind.name !== 'sqlite :memory:')

export const CACHE_KINDS: CacheKind[] = [
  ...STORE_KINDS,
  {
    name: 'redis',
    open: async ({ shared }) => {
      const redis = new Redis(inject('redisUrl'))
      const cache = new RedisTokenCache({ redis, keyPrefix: `test:${shared ?? randomUUID()}:` })
      return Object.assign(cache, { close: async () => void (await redis.quit()) })
    },
  },
]

export const SHARED_CACHE_KINDS = CACHE_KINDS.filter((kind) => kind.name !== 'sqlite :memory:')
