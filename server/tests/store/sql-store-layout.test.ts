import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import type { Database } from '../../src/store/schema.js'
import { SqlStore } from '../../src/store/sql-store.js'
import { SQL_ENGINES, spied } from '../helpers/sql-engines.js'
import { rotate } from '../helpers/rotate.js'

const SELECT = 'SelectQueryNode'
const INSERT = 'InsertQueryNode'
const UPDATE = 'UpdateQueryNode'

// Every guard is one statement the database decides, and a login pays for each round trip: these
// are the statements each call runs, on each engine.
describe.each(SQL_ENGINES)('SqlStore statements per call: $name', (engine) => {
  const opened: Kysely<Database>[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()))
  })
  const open = async () => {
    const bare = await engine.open()
    opened.push(bare)
    const { db, spy } = spied(bare)
    let now = 1_800_000_000_000
    const store = new SqlStore({ db, engine: engine.name, userCacheTtlMs: 0, now: () => now++ })
    return { store, spy }
  }

  it('a known user: one read; a new user: one read and one insert; a late unionid: one read and one update', async () => {
    const { store, spy } = await open()
    await store.upsertUser({ openid: 'o1' })
    expect(spy.take()).toEqual([SELECT, INSERT])
    await store.upsertUser({ openid: 'o1' })
    expect(spy.take()).toEqual([SELECT])
    await store.upsertUser({ openid: 'o1', unionid: 'u1' })
    expect(spy.take()).toEqual([SELECT, UPDATE])
  })

  it(`a refresh token is saved with its family in ${engine.name === 'postgres' ? 'one statement' : 'one transaction'}`, async () => {
    const { store, spy } = await open()
    await store.saveRefreshToken({ hash: 'h1', userId: 'u', familyId: randomUUID(), expiresAt: 1_900_000_000_000 })
    // PostgreSQL: one INSERT … WITH (one round trip, one commit); SQLite: two INSERTs in a transaction.
    expect(spy.take()).toEqual(engine.name === 'postgres' ? [INSERT] : [INSERT, INSERT])
    expect((await rotate(store, 'h1')).status).toBe('ok')
  })

  it('a rotation spends, reads the user and saves the successor; a replay adds the read that explains it and the revocation', async () => {
    const { store, spy } = await open()
    await store.saveRefreshToken({ hash: 'h1', userId: 'u', familyId: randomUUID(), expiresAt: 1_900_000_000_000 })
    spy.take()
    expect((await rotate(store, 'h1')).status).toBe('ok')
    expect(spy.take()).toEqual([UPDATE, SELECT, INSERT])
    expect((await rotate(store, 'h1')).status).toBe('reused')
    expect(spy.take()).toEqual([UPDATE, SELECT, UPDATE])
  })

  it('a code claim is one INSERT … ON CONFLICT when no purge is due', async () => {
    const { store, spy } = await open()
    await store.claimCode('first', 60_000) // the first claim of an instance purges
    spy.take()
    expect(await store.claimCode('second', 60_000)).toBe(true)
    expect(spy.take()).toEqual([INSERT])
  })
})

describe('SqlStore rows other instances and releases read', () => {
  it('keeps the WeChat access_token under the key wx_access_token, as earlier releases did', async () => {
    const db = await SQL_ENGINES[0]!.open()
    try {
      const store = new SqlStore({ db, engine: 'sqlite', userCacheTtlMs: 0 })
      // Written by an instance of an earlier release sharing the database.
      await db.insertInto('cache_entries').values({ key: 'wx_access_token', value: '{"token":"t-old","expiresAt":1}' }).execute()
      expect(await store.getAccessToken()).toEqual({ token: 't-old', expiresAt: 1 })
      await store.setAccessToken({ token: 't-new', expiresAt: 2 })
      expect(await db.selectFrom('cache_entries').selectAll().execute()).toEqual([
        { key: 'wx_access_token', value: '{"token":"t-new","expiresAt":2}' },
      ])
    } finally {
      await db.destroy()
    }
  })
})
