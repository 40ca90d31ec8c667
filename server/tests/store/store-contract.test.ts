import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { AccessTokenCache, AuthStore } from '../../src/store/types.js'
import { CACHE_KINDS, SHARED_STORE_KINDS, STORE_KINDS } from '../helpers/stores.js'
import { rotate } from '../helpers/rotate.js'

const refresh = (hash: string, familyId: string, expiresAt: number, userId = 'u1') => ({ hash, userId, familyId, expiresAt })

describe.each(STORE_KINDS)('AuthStore contract: $name', (kind) => {
  let now = 1_800_000_000_000
  const opened: AuthStore[] = []
  const open = async (shared?: string) => {
    const store = await kind.open({ now: () => now, shared })
    opened.push(store)
    return store
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()))
  })

  it('upserts users by openid', async () => {
    const store = await open()
    const a = await store.upsertUser({ openid: 'o1' })
    expect(a).toEqual({ id: expect.any(String), openid: 'o1', unionid: null, phone: null, createdAt: now })
    expect((await store.upsertUser({ openid: 'o1' })).id).toBe(a.id)
    expect((await store.upsertUser({ openid: 'o2' })).id).not.toBe(a.id)
    expect(await store.getUserById(a.id)).toEqual(a)
    expect(await store.getUserById('missing')).toBeNull()
  })

  it('prefers unionid and attaches a late unionid to the openid user', async () => {
    const store = await open()
    const first = await store.upsertUser({ openid: 'oa' })
    const withUnion = await store.upsertUser({ openid: 'oa', unionid: 'u1' })
    expect(withUnion.id).toBe(first.id)
    expect(withUnion.unionid).toBe('u1')
    const otherApp = await store.upsertUser({ openid: 'ob', unionid: 'u1' })
    expect(otherApp.id).toBe(first.id)
  })

  it('concurrent first logins of one openid create one user', async () => {
    const store = await open()
    const users = await Promise.all(Array.from({ length: 10 }, () => store.upsertUser({ openid: 'o-race' })))
    expect(new Set(users.map((u) => u.id)).size).toBe(1)
  })

  it('concurrent logins attaching one unionid agree on one user', async () => {
    const store = await open()
    await store.upsertUser({ openid: 'o-late' })
    const users = await Promise.all(Array.from({ length: 10 }, () => store.upsertUser({ openid: 'o-late', unionid: 'u-late' })))
    expect(new Set(users.map((u) => u.id)).size).toBe(1)
    expect(users.every((u) => u.unionid === 'u-late')).toBe(true)
  })

  it('stores the phone number', async () => {
    const store = await open()
    const user = await store.upsertUser({ openid: 'o-phone' })
    expect((await store.setUserPhone(user.id, '13800138000'))?.phone).toBe('13800138000')
    expect((await store.getUserById(user.id))?.phone).toBe('13800138000')
    expect(await store.setUserPhone('missing', '1')).toBeNull()
  })

  it('keeps the latest session_key per openid', async () => {
    const store = await open()
    expect(await store.getSessionKey('o1')).toBeNull()
    await store.saveSessionKey('o1', 'k1')
    await store.saveSessionKey('o1', 'k2')
    expect(await store.getSessionKey('o1')).toBe('k2')
  })

  it('claims a code exactly once, even under concurrency', async () => {
    const store = await open()
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claimCode('code-1', 60_000)))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await store.claimCode('code-2', 60_000)).toBe(true)
  })

  it('lets an expired code claim be taken again', async () => {
    const store = await open()
    expect(await store.claimCode('code-exp', 1000)).toBe(true)
    expect(await store.claimCode('code-exp', 1000)).toBe(false)
    now += 1000
    expect(await store.claimCode('code-exp', 1000)).toBe(true)
    expect(await store.claimCode('code-exp', 1000)).toBe(false)
  })

  it('rotates refresh tokens: ok once, then reused and the family revoked', async () => {
    const store = await open()
    const familyId = randomUUID()
    await store.saveRefreshToken(refresh('h1', familyId, now + 60_000))
    await store.saveRefreshToken(refresh('h2', familyId, now + 60_000))
    expect(await rotate(store, 'h1')).toEqual({ status: 'ok', userId: 'u1', familyId })
    expect(await rotate(store, 'h1')).toEqual({ status: 'reused', userId: 'u1', familyId })
    expect(await rotate(store, 'h2')).toEqual({ status: 'invalid' })
    expect(await rotate(store, 'unknown')).toEqual({ status: 'invalid' })
  })

  it('consumes a refresh token once under concurrency', async () => {
    const store = await open()
    await store.saveRefreshToken(refresh('hc', randomUUID(), now + 60_000))
    const results = await Promise.all(Array.from({ length: 10 }, () => rotate(store, 'hc')))
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1)
    // The first loser sees a replay and revokes the family; later ones may already find it revoked.
    expect(results.filter((r) => r.status === 'reused').length).toBeGreaterThan(0)
  })

  it('refuses expired refresh tokens and revokes a family on logout', async () => {
    const store = await open()
    await store.saveRefreshToken(refresh('old', randomUUID(), now + 1000))
    await store.saveRefreshToken(refresh('live', 'fam-live', now + 60_000))
    now += 1001
    expect((await rotate(store, 'old')).status).toBe('invalid')
    await store.revokeRefreshFamilyOf('live')
    expect((await rotate(store, 'live')).status).toBe('invalid')
    await store.revokeRefreshFamilyOf('unknown')
  })

  it("revokes one family by id, leaving the user's other families alive", async () => {
    const store = await open()
    await store.saveRefreshToken(refresh('fa1', 'fam-a', now + 60_000))
    await store.saveRefreshToken(refresh('fa2', 'fam-a', now + 60_000))
    await store.saveRefreshToken(refresh('fb1', 'fam-b', now + 60_000))
    await store.revokeFamily('fam-a')
    await store.revokeFamily('fam-unknown')
    expect((await rotate(store, 'fa1')).status).toBe('invalid')
    expect((await rotate(store, 'fa2')).status).toBe('invalid')
    expect((await rotate(store, 'fb1')).status).toBe('ok')
  })

  it('a token saved into a family after its revocation is refused', async () => {
    const store = await open()
    const familyId = randomUUID()
    await store.saveRefreshToken(refresh('before', familyId, now + 60_000))
    // A rotation that read the family before the revocation may still save its new token after it.
    expect((await rotate(store, 'before')).status).toBe('ok')
    await store.revokeFamily(familyId)
    await store.saveRefreshToken(refresh('after', familyId, now + 60_000))
    expect(await rotate(store, 'after')).toEqual({ status: 'invalid' })
    await store.revokeFamily('unknown-family')
  })

  it("revokes every family of one user (log out everywhere) and no one else's", async () => {
    const store = await open()
    await store.saveRefreshToken(refresh('u1a', 'u1-fam-a', now + 60_000, 'u1'))
    await store.saveRefreshToken(refresh('u1b', 'u1-fam-b', now + 60_000, 'u1'))
    await store.saveRefreshToken(refresh('u2a', 'u2-fam-a', now + 60_000, 'u2'))
    await store.revokeAllFamiliesOfUser('u1')
    await store.revokeAllFamiliesOfUser('nobody')
    expect((await rotate(store, 'u1a')).status).toBe('invalid')
    expect((await rotate(store, 'u1b')).status).toBe('invalid')
    expect((await rotate(store, 'u2a')).status).toBe('ok')
    // A login after "log out everywhere" starts a family that works.
    await store.saveRefreshToken(refresh('u1c', 'u1-fam-c', now + 60_000, 'u1'))
    expect((await rotate(store, 'u1c')).status).toBe('ok')
  })

  it('answers ping while open and throws once closed', async () => {
    const store = await open()
    await expect(store.ping()).resolves.toBeUndefined()
    await store.close()
    await expect(store.ping()).rejects.toThrow()
  })
})

describe.each(CACHE_KINDS)('AccessTokenCache contract: $name', (kind) => {
  let now = 1_800_000_000_000
  const opened: (AccessTokenCache & { close(): Promise<void> })[] = []
  const open = async () => {
    const cache = await kind.open({ now: () => now })
    opened.push(cache)
    return cache
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((cache) => cache.close()))
  })

  it('caches the access token', async () => {
    const cache = await open()
    expect(await cache.getAccessToken()).toBeNull()
    await cache.setAccessToken({ token: 't1', expiresAt: now + 7_200_000 })
    expect(await cache.getAccessToken()).toEqual({ token: 't1', expiresAt: now + 7_200_000 })
  })

  it('locks: one holder, owner-checked release, expiry frees it', async () => {
    const cache = await open()
    const owner = await cache.acquireLock('l', 200)
    expect(owner).toEqual(expect.any(String))
    expect(await cache.acquireLock('l', 200)).toBeNull()
    await cache.releaseLock('l', 'not-the-owner')
    expect(await cache.acquireLock('l', 200)).toBeNull()
    await cache.releaseLock('l', owner!)
    const second = await cache.acquireLock('l', 50)
    expect(second).not.toBeNull()
    // Expiry: the SQL stores follow the injected clock, Redis its own PX timer.
    now += 100
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await cache.acquireLock('l', 50)).not.toBeNull()
  })

  it('one lock holder among concurrent takers', async () => {
    const cache = await open()
    const owners = await Promise.all(Array.from({ length: 10 }, () => cache.acquireLock('race', 5000)))
    expect(owners.filter((o) => o !== null)).toHaveLength(1)
  })
})

describe.each(SHARED_STORE_KINDS)('instances sharing one store: $name', (kind) => {
  const opened: AuthStore[] = []
  const openShared = async (count: number) => {
    const shared = randomUUID()
    // Sequentially: in one process, a second SQLite handle would block while the first migrates.
    for (let i = 0; i < count; i++) opened.push(await kind.open({ shared }))
    return opened.slice(-count)
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()))
  })

  it('share users, the code guard, refresh tokens and locks', async () => {
    const [a, b] = (await openShared(2)) as [AuthStore, AuthStore]
    const user = await a.upsertUser({ openid: 'o-shared' })
    expect((await b.upsertUser({ openid: 'o-shared' })).id).toBe(user.id)
    expect(await a.claimCode('c', 60_000)).toBe(true)
    expect(await b.claimCode('c', 60_000)).toBe(false)
    await a.saveRefreshToken(refresh('h', 'f', Date.now() + 60_000, user.id))
    expect((await rotate(b, 'h')).status).toBe('ok')
    expect((await rotate(a, 'h')).status).toBe('reused')
    const owner = await a.acquireLock('x', 5000)
    expect(owner).not.toBeNull()
    expect(await b.acquireLock('x', 5000)).toBeNull()
  })

  it('three instances: one user per openid, one claim per code, one rotation per token', async () => {
    const stores = await openShared(3)
    const users = await Promise.all(stores.flatMap((s) => Array.from({ length: 5 }, () => s.upsertUser({ openid: 'o-3' }))))
    expect(new Set(users.map((u) => u.id)).size).toBe(1)
    const claims = await Promise.all(stores.flatMap((s) => Array.from({ length: 5 }, () => s.claimCode('c-3', 60_000))))
    expect(claims.filter(Boolean)).toHaveLength(1)
    await stores[0]!.saveRefreshToken(refresh('h-3', 'f-3', Date.now() + 60_000))
    const results = await Promise.all(stores.flatMap((s) => Array.from({ length: 7 }, () => rotate(s, 'h-3'))))
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1)
    expect(results.filter((r) => r.status === 'reused').length).toBeGreaterThan(0)
    // The replay revoked the family: the winner's successor is dead too.
    await stores[1]!.saveRefreshToken(refresh('h-3-next', 'f-3', Date.now() + 60_000))
    expect((await rotate(stores[2]!, 'h-3-next')).status).toBe('invalid')
  })

  it('a revocation on one instance stops rotation on the others', async () => {
    const [a, b] = (await openShared(2)) as [AuthStore, AuthStore]
    await a.saveRefreshToken(refresh('r1', 'fam-r', Date.now() + 60_000))
    await b.revokeFamily('fam-r')
    expect((await rotate(a, 'r1')).status).toBe('invalid')
  })
})
