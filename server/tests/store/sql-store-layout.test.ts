import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import type { Database } from '../../src/store/schema.js'
import { SqlStore } from '../../src/store/sql-store.js'
import { SQL_ENGINES, StatementSpy, spied } from '../helpers/sql-engines.js'
import { h5Weixin, mpWeixin, newLogin } from '../helpers/identities.js'
import { rotate } from '../helpers/rotate.js'

const SELECT = 'SelectQueryNode'
const INSERT = 'InsertQueryNode'
const UPDATE = 'UpdateQueryNode'
const RAW = 'RawNode'

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
    const { db, spy, sqlite } = spied(bare)
    let now = 1_800_000_000_000
    const store = new SqlStore({ db, engine: engine.name, userCacheTtlMs: 0, now: () => now++, sqlite })
    return { store, spy }
  }

  it(`a known identity's login is ${engine.name === 'postgres' ? 'one statement' : 'one transaction of four statements'}; a new one is one transaction`, async () => {
    const { store, spy } = await open()
    const first = newLogin(1_900_000_000_000)
    const user = await store.loginWithIdentity(mpWeixin('o1'), first)
    // PostgreSQL first tries the known-identity statement, which changes nothing for a new identity.
    expect(spy.take()).toEqual([...(engine.name === 'postgres' ? [RAW] : []), UPDATE, INSERT, INSERT, INSERT, INSERT, SELECT])
    const second = newLogin(1_900_000_000_000)
    expect((await store.loginWithIdentity(mpWeixin('o1'), second)).id).toBe(user.id)
    expect(spy.take()).toEqual(engine.name === 'postgres' ? [RAW] : [UPDATE, INSERT, INSERT, SELECT])
    for (const login of [first, second]) {
      expect(await rotate(store, login.refreshTokenHash)).toEqual({ status: 'ok', userId: user.id, familyId: login.familyId })
    }
    expect(await store.getSessionKey(mpWeixin('o1'))).toBe('sk-o1')
  })

  it("a known identity's login with a unionid also offers the unionid to the user, in the same statement on PostgreSQL", async () => {
    const { store, spy } = await open()
    const user = await store.loginWithIdentity(mpWeixin('o1'), newLogin())
    spy.take()
    expect((await store.loginWithIdentity(mpWeixin('o1', { unionid: 'u1' }), newLogin())).id).toBe(user.id)
    expect(spy.take()).toEqual(engine.name === 'postgres' ? [RAW] : [UPDATE, INSERT, INSERT, INSERT, SELECT])
    expect((await store.loginWithIdentity(h5Weixin('o-h5', { unionid: 'u1' }), newLogin())).id).toBe(user.id)
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

  it(`a code claim is one ${engine.name === 'postgres' ? 'statement' : 'INSERT … ON CONFLICT'} when no purge is due`, async () => {
    const { store, spy } = await open()
    await store.claimCode('first', 60_000) // the first claim of an instance purges
    spy.take()
    expect(await store.claimCode('second', 60_000)).toBe(true)
    expect(spy.take()).toEqual([engine.name === 'postgres' ? RAW : INSERT])
  })
})

describe('SqlStore rows other instances and releases read', () => {
  it('keeps one WeChat access_token per AppID under wx_access_token:<appId>, leaving the bare key of earlier releases alone', async () => {
    const db = await SQL_ENGINES[0]!.open()
    try {
      const store = new SqlStore({ db, engine: 'sqlite', userCacheTtlMs: 0 })
      expect(() => new SqlStore({ db: db.withPlugin(new StatementSpy()), engine: 'sqlite', userCacheTtlMs: 0 })).toThrow(
        /opened by openSqlite/,
      )
      // Written by an instance of a release before 0.3 sharing the database: whose app it was, it did not say.
      await db.insertInto('cache_entries').values({ key: 'wx_access_token', value: '{"token":"t-old","expiresAt":1}' }).execute()
      expect(await store.getAccessToken('wxA')).toBeNull()
      await store.setAccessToken('wxA', { token: 't-new', expiresAt: 2 })
      expect(await db.selectFrom('cache_entries').selectAll().orderBy('key').execute()).toEqual([
        { key: 'wx_access_token', value: '{"token":"t-old","expiresAt":1}' },
        { key: 'wx_access_token:wxA', value: '{"token":"t-new","expiresAt":2}' },
      ])
    } finally {
      await db.destroy()
    }
  })
})
