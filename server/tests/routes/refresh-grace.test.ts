import { afterEach, describe, expect, it } from 'vitest'
import { SqlStore } from '../../src/store/sql-store.js'
import { openSqlite } from '../../src/store/sqlite-database.js'
import { startHarness } from '../helpers/harness.js'
import { spied } from '../helpers/sql-engines.js'

// What a client sees of refresh rotation when answers are lost or the store fails half-way.
describe('POST /auth/refresh, retried', () => {
  let now = Date.now()
  const open: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((resource) => resource.close()))
  })
  const start = async (env: Record<string, string> = {}) => {
    const { db, spy, sqlite } = spied(await openSqlite(':memory:'))
    const store = new SqlStore({ db, engine: 'sqlite', now: () => now, userCacheTtlMs: 0, sqlite })
    const harness = await startHarness({ now: () => now, store, env })
    open.push(harness, store)
    const refresh = (refreshToken: string) => harness.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } })
    return { harness, spy, refresh }
  }

  it('a retry whose first answer was lost gets a working successor within the grace window; the lost one is dead', async () => {
    const { harness, refresh } = await start()
    const login = await harness.login()
    const lost = (await refresh(login.refreshToken)).json()
    now += 10_000
    const retried = await refresh(login.refreshToken)
    expect(retried.statusCode).toBe(200)
    const pair = retried.json()
    expect(pair.refreshToken).not.toBe(lost.refreshToken)
    expect(pair.user.id).toBe(login.user.id)
    const next = await refresh(pair.refreshToken)
    expect(next.statusCode).toBe(200)
    // The successor that never reached the client: presenting it is a replay, and the login ends.
    expect((await refresh(lost.refreshToken)).json()).toMatchObject({ code: 'AUTH_REFRESH_INVALID' })
    expect((await refresh(next.json().refreshToken)).statusCode).toBe(401)
  })

  it('a replay after the window (30 s by default) still revokes the family', async () => {
    const { harness, refresh } = await start()
    const login = await harness.login()
    const rotated = (await refresh(login.refreshToken)).json()
    now += 30_000
    expect((await refresh(login.refreshToken)).statusCode).toBe(401)
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401)
  })

  it('REFRESH_GRACE_SECONDS sets the window; 0 turns it off', async () => {
    const ten = await start({ REFRESH_GRACE_SECONDS: '10' })
    const login = await ten.harness.login()
    await ten.refresh(login.refreshToken)
    now += 9_000
    expect((await ten.refresh(login.refreshToken)).statusCode).toBe(200)
    now += 1_000
    expect((await ten.refresh(login.refreshToken)).statusCode).toBe(401)

    const off = await start({ REFRESH_GRACE_SECONDS: '0' })
    const other = await off.harness.login()
    await off.refresh(other.refreshToken)
    expect((await off.refresh(other.refreshToken)).statusCode).toBe(401)
  })

  it('a 503 means nothing changed: the same refresh token works on the retry', async () => {
    const { harness, spy, refresh } = await start()
    const login = await harness.login()
    // The database goes away after the token was spent, while its successor is being saved.
    spy.failWith = (node) =>
      node.kind === 'InsertQueryNode' ? Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }) : undefined
    const failed = await refresh(login.refreshToken)
    expect(failed.statusCode).toBe(503)
    expect(failed.json()).toMatchObject({ code: 'STORE_UNAVAILABLE' })
    spy.failWith = undefined
    now += 60_000 // past any grace window: the retry works because nothing was spent
    const retried = await refresh(login.refreshToken)
    expect(retried.statusCode).toBe(200)
    expect((await refresh(retried.json().refreshToken)).statusCode).toBe(200)
  })
})
