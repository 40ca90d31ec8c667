import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import type { Clock } from '../../src/clock.js'
import { RedisStore } from '../../src/store/redis-store.js'
import { SqliteStore } from '../../src/store/sqlite-store.js'
import type { AuthStore } from '../../src/store/types.js'

export interface StoreKind {
  name: string
  /** Opens a store; calling it twice with the same `shared` name opens two handles on one backend. */
  open(options: { now?: Clock; shared?: string }): AuthStore
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'uma-store-'))

export const STORE_KINDS: StoreKind[] = [
  {
    name: 'sqlite :memory:',
    open: ({ now }) => new SqliteStore({ filename: ':memory:', now }),
  },
  {
    name: 'sqlite file',
    open: ({ now, shared }) => new SqliteStore({ filename: join(sqliteDir, `${shared ?? randomUUID()}.db`), now }),
  },
  {
    name: 'redis',
    open: ({ now, shared }) => new RedisStore({ url: inject('redisUrl'), keyPrefix: `test:${shared ?? randomUUID()}:`, now }),
  },
]

/** Kinds whose handles can share state, i.e. model several backend instances. */
export const SHARED_STORE_KINDS = STORE_KINDS.filter((kind) => kind.name !== 'sqlite :memory:')
