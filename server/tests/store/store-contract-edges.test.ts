import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { AccessTokenCache, AuthStore } from '../../src/store/types.js'
import { CACHE_KINDS, STORE_KINDS } from '../helpers/stores.js'
import { rotate } from '../helpers/rotate.js'

// Edge cases of the AuthStore and AccessTokenCache contracts, on every kind (see store-contract.test.ts).
describe.each(STORE_KINDS)('AuthStore contract edges: $name', (kind) => {
  const now = 1_800_000_000_000
  const opened: AuthStore[] = []
  const open = async () => {
    const store = await kind.open({ now: () => now })
    opened.push(store)
    return store
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()))
  })

  it('a user known by the unionid wins over an older user of the openid that has none', async () => {
    const store = await open()
    // The openid's own user is created first, so it is not the first row whichever way the database reads.
    const openidOnly = await store.upsertUser({ openid: 'o-app2' })
    const byUnionid = await store.upsertUser({ openid: 'o-app1', unionid: 'u-shared' })
    expect(byUnionid.id).not.toBe(openidOnly.id)
    const again = await store.upsertUser({ openid: 'o-app2', unionid: 'u-shared' })
    expect(again.id).toBe(byUnionid.id)
    expect(again.unionid).toBe('u-shared')
  })

  it('several openid users attaching one unionid at once agree on one user', async () => {
    const store = await open()
    const users = await Promise.all(['o-a', 'o-b', 'o-c', 'o-d'].map((openid) => store.upsertUser({ openid })))
    // Each finds its own user without a unionid; one attach wins, the others collide on the unique unionid.
    const attached = await Promise.all(users.map((user) => store.upsertUser({ openid: user.openid, unionid: 'u-race' })))
    expect(new Set(attached.map((user) => user.id)).size).toBe(1)
    expect(attached[0]?.unionid).toBe('u-race')
    expect(users.map((user) => user.id)).toContain(attached[0]?.id)
  })

  it('a spent token of a family already revoked is invalid, not reported as a replay again', async () => {
    const store = await open()
    const familyId = randomUUID()
    await store.saveRefreshToken({ hash: 'spent', userId: 'u1', familyId, expiresAt: now + 60_000 })
    expect((await rotate(store, 'spent')).status).toBe('ok')
    await store.revokeFamily(familyId)
    expect(await rotate(store, 'spent')).toEqual({ status: 'invalid' })
  })
})

describe.each(CACHE_KINDS)('AccessTokenCache contract edges: $name', (kind) => {
  let now = 1_800_000_000_000
  const opened: (AccessTokenCache & { close(): Promise<void> })[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((cache) => cache.close()))
  })

  it('a lock taken over after its lease ran out is held for the new lease', async () => {
    const cache = await kind.open({ now: () => now })
    opened.push(cache)
    expect(await cache.acquireLock('lease', 50)).not.toBeNull()
    // The SQL stores follow the injected clock, Redis its own PX timer.
    now += 100
    await new Promise((resolve) => setTimeout(resolve, 100))
    const successor = await cache.acquireLock('lease', 60_000)
    expect(successor).not.toBeNull()
    expect(await cache.acquireLock('lease', 60_000)).toBeNull()
  })
})
