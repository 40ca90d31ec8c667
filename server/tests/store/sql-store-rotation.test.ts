import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import type { Database } from '../../src/store/schema.js'
import { SqlStore } from '../../src/store/sql-store.js'
import { mpWeixin, newLogin } from '../helpers/identities.js'
import { SQL_ENGINES, spied } from '../helpers/sql-engines.js'

const GRACE_MS = 30_000
const dropped = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' })

// Refresh rotation on both engines: spend-and-replace is one atomic step, a retry whose answer
// was lost gets a successor within the grace window, a replay after it (or after the successor
// was used) revokes the family, and concurrent uses leave one live token.
describe.each(SQL_ENGINES)('SqlStore refresh rotation: $name', (engine) => {
  const opened: Kysely<Database>[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()))
  })
  let now = 1_800_000_000_000
  const open = async () => {
    const bare = await engine.open()
    opened.push(bare)
    const { db, spy, sqlite } = spied(bare)
    const store = new SqlStore({ db, engine: engine.name, now: () => now, userCacheTtlMs: 0, sqlite })
    const user = await store.loginWithIdentity(mpWeixin(`o-${randomUUID()}`), newLogin())
    const familyId = randomUUID()
    await store.saveRefreshToken({ hash: 'first', userId: user.id, familyId, expiresAt: now + 3_600_000 })
    const successor = (hash: string) => ({ hash, expiresAt: now + 3_600_000 })
    const rotate = (hash: string, next: string, graceMs = GRACE_MS) => store.rotateRefreshToken(hash, successor(next), { graceMs })
    const live = async () =>
      (await bare.selectFrom('refresh_tokens').select('hash').where('family_id', '=', familyId).where('used_at', 'is', null).execute()).map(
        (row) => row.hash,
      )
    const revoked = async () =>
      (await bare.selectFrom('refresh_families').select('revoked_at').where('id', '=', familyId).executeTakeFirstOrThrow()).revoked_at !==
      null
    return { store, spy, user, familyId, rotate, live, revoked }
  }

  it('spends the token and saves its successor together, reading the user in the same step', async () => {
    const { rotate, live, user, familyId } = await open()
    expect(await rotate('first', 'second')).toEqual({ status: 'ok', userId: user.id, user, familyId, retried: false })
    expect(await live()).toEqual(['second'])
    expect(await rotate('second', 'third')).toMatchObject({ status: 'ok', retried: false })
    expect(await live()).toEqual(['third'])
  })

  it('a failure while saving the successor changes nothing: STORE_UNAVAILABLE, and the same token still rotates', async () => {
    const { rotate, spy, live, revoked } = await open()
    spy.failWith = (node) => (node.kind === 'InsertQueryNode' ? dropped() : undefined)
    await expect(rotate('first', 'second')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', statusCode: 503 })
    spy.failWith = undefined
    expect(await live()).toEqual(['first'])
    // Not a replay: the token was never spent.
    expect(await rotate('first', 'second')).toMatchObject({ status: 'ok', retried: false })
    expect(await revoked()).toBe(false)
  })

  it('a retry within the grace window gets a new successor that replaces the unused one', async () => {
    const { rotate, live, revoked } = await open()
    await rotate('first', 'lost')
    now += GRACE_MS - 1
    expect(await rotate('first', 'retry')).toMatchObject({ status: 'ok', retried: true })
    expect(await live()).toEqual(['retry'])
    // The replaced successor never reached its client: anyone presenting it is replaying it.
    expect(await rotate('lost', 'x')).toMatchObject({ status: 'reused' })
    expect(await revoked()).toBe(true)
    expect(await rotate('retry', 'y')).toEqual({ status: 'invalid' })
  })

  it('the new successor keeps rotating, and a second retry in the window replaces it in turn', async () => {
    const { rotate, live, revoked } = await open()
    await rotate('first', 'a')
    expect(await rotate('first', 'b')).toMatchObject({ status: 'ok', retried: true })
    expect(await rotate('first', 'c')).toMatchObject({ status: 'ok', retried: true })
    expect(await live()).toEqual(['c'])
    expect(await rotate('c', 'd')).toMatchObject({ status: 'ok', retried: false })
    expect(await revoked()).toBe(false)
  })

  it('a replay after the window revokes the family', async () => {
    const { rotate, revoked, live } = await open()
    await rotate('first', 'second')
    now += GRACE_MS
    expect(await rotate('first', 'late')).toMatchObject({ status: 'reused' })
    expect(await revoked()).toBe(true)
    expect(await rotate('second', 'third')).toEqual({ status: 'invalid' })
    expect(await live()).toEqual(['second'])
  })

  it('a replay after the successor was used revokes the family, even within the window', async () => {
    const { rotate, revoked } = await open()
    await rotate('first', 'second')
    await rotate('second', 'third')
    expect(await rotate('first', 'thief')).toMatchObject({ status: 'reused' })
    expect(await revoked()).toBe(true)
    expect(await rotate('third', 'fourth')).toEqual({ status: 'invalid' })
  })

  it('without a window every reuse revokes', async () => {
    const { rotate, revoked } = await open()
    await rotate('first', 'second', 0)
    expect(await rotate('first', 'retry', 0)).toMatchObject({ status: 'reused' })
    expect(await revoked()).toBe(true)
  })

  it('a failure while replacing a successor changes nothing: the unused successor stays live', async () => {
    const { rotate, spy, live } = await open()
    await rotate('first', 'second')
    spy.failWith = (node) => (node.kind === 'InsertQueryNode' ? dropped() : undefined)
    await expect(rotate('first', 'retry')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' })
    spy.failWith = undefined
    expect(await live()).toEqual(['second'])
    expect(await rotate('second', 'third')).toMatchObject({ status: 'ok', retried: false })
  })

  it('concurrent uses of one token leave exactly one live successor; without a window exactly one wins', async () => {
    const { rotate, live } = await open()
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => rotate('first', `next-${i}`)))
    expect(results.filter((r) => r.status === 'ok').length).toBeGreaterThanOrEqual(1)
    expect(await live()).toHaveLength(1)

    const other = await open()
    const strict = await Promise.all(Array.from({ length: 10 }, (_, i) => other.rotate('first', `strict-${i}`, 0)))
    expect(strict.filter((r) => r.status === 'ok')).toHaveLength(1)
    expect(await other.revoked()).toBe(true)
  })
})
