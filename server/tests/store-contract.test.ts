import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { AuthStore } from '../src/store/types.js'
import { SHARED_STORE_KINDS, STORE_KINDS } from './helpers/stores.js'

describe.each(STORE_KINDS)('AuthStore contract: $name', (kind) => {
  let now = 1_800_000_000_000
  const opened: AuthStore[] = []
  const open = (shared?: string) => {
    const store = kind.open({ now: () => now, shared })
    opened.push(store)
    return store
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()))
  })

  it('upserts users by openid', async () => {
    const store = open()
    const a = await store.upsertUser({ openid: 'o1' })
    expect(a).toEqual({ id: expect.any(String), openid: 'o1', unionid: null, phone: null, createdAt: now })
    expect((await store.upsertUser({ openid: 'o1' })).id).toBe(a.id)
    expect((await store.upsertUser({ openid: 'o2' })).id).not.toBe(a.id)
    expect(await store.getUserById(a.id)).toEqual(a)
    expect(await store.getUserById('missing')).toBeNull()
  })

  it('prefers unionid and attaches a late unionid to the openid user', async () => {
    const store = open()
    const first = await store.upsertUser({ openid: 'oa' })
    const withUnion = await store.upsertUser({ openid: 'oa', unionid: 'u1' })
    expect(withUnion.id).toBe(first.id)
    expect(withUnion.unionid).toBe('u1')
    const otherApp = await store.upsertUser({ openid: 'ob', unionid: 'u1' })
    expect(otherApp.id).toBe(first.id)
  })

  it('concurrent first logins of one openid create one user', async () => {
    const store = open()
    const users = await Promise.all(Array.from({ length: 10 }, () => store.upsertUser({ openid: 'o-race' })))
    expect(new Set(users.map((u) => u.id)).size).toBe(1)
  })

  it('stores the phone number', async () => {
    const store = open()
    const user = await store.upsertUser({ openid: 'o-phone' })
    expect((await store.setUserPhone(user.id, '13800138000'))?.phone).toBe('13800138000')
    expect((await store.getUserById(user.id))?.phone).toBe('13800138000')
    expect(await store.setUserPhone('missing', '1')).toBeNull()
  })

  it('keeps the latest session_key per openid', async () => {
    const store = open()
    expect(await store.getSessionKey('o1')).toBeNull()
    await store.saveSessionKey('o1', 'k1')
    await store.saveSessionKey('o1', 'k2')
    expect(await store.getSessionKey('o1')).toBe('k2')
  })

  it('claims a code exactly once, even under concurrency', async () => {
    const store = open()
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claimCode('code-1', 60_000)))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await store.claimCode('code-2', 60_000)).toBe(true)
  })

  it('rotates refresh tokens: ok once, then reused and the family revoked', async () => {
    const store = open()
    const familyId = randomUUID()
    await store.saveRefreshToken({ hash: 'h1', userId: 'u1', familyId, expiresAt: now + 60_000 })
    await store.saveRefreshToken({ hash: 'h2', userId: 'u1', familyId, expiresAt: now + 60_000 })
    expect(await store.consumeRefreshToken('h1')).toEqual({ status: 'ok', userId: 'u1', familyId })
    expect(await store.consumeRefreshToken('h1')).toEqual({ status: 'reused', userId: 'u1', familyId })
    expect(await store.consumeRefreshToken('h2')).toEqual({ status: 'invalid' })
    expect(await store.consumeRefreshToken('unknown')).toEqual({ status: 'invalid' })
  })

  it('consumes a refresh token once under concurrency', async () => {
    const store = open()
    await store.saveRefreshToken({ hash: 'hc', userId: 'u1', familyId: randomUUID(), expiresAt: now + 60_000 })
    const results = await Promise.all(Array.from({ length: 10 }, () => store.consumeRefreshToken('hc')))
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1)
  })

  it('refuses expired refresh tokens and revokes a family on logout', async () => {
    const store = open()
    await store.saveRefreshToken({ hash: 'old', userId: 'u1', familyId: randomUUID(), expiresAt: now + 1000 })
    await store.saveRefreshToken({ hash: 'live', userId: 'u1', familyId: 'fam-live', expiresAt: now + 60_000 })
    now += 1001
    expect((await store.consumeRefreshToken('old')).status).toBe('invalid')
    await store.revokeRefreshFamilyOf('live')
    expect((await store.consumeRefreshToken('live')).status).toBe('invalid')
    await store.revokeRefreshFamilyOf('unknown')
  })

  it("revokes one family by id, leaving the user's other families alive", async () => {
    const store = open()
    await store.saveRefreshToken({ hash: 'fa1', userId: 'u1', familyId: 'fam-a', expiresAt: now + 60_000 })
    await store.saveRefreshToken({ hash: 'fa2', userId: 'u1', familyId: 'fam-a', expiresAt: now + 60_000 })
    await store.saveRefreshToken({ hash: 'fb1', userId: 'u1', familyId: 'fam-b', expiresAt: now + 60_000 })
    await store.revokeFamily('fam-a')
    await store.revokeFamily('fam-unknown')
    expect((await store.consumeRefreshToken('fa1')).status).toBe('invalid')
    expect((await store.consumeRefreshToken('fa2')).status).toBe('invalid')
    expect((await store.consumeRefreshToken('fb1')).status).toBe('ok')
  })

  it("revokes every family of one user and no one else's", async () => {
    const store = open()
    await store.saveRefreshToken({ hash: 'u1a', userId: 'u1', familyId: 'u1-fam-a', expiresAt: now + 60_000 })
    await store.saveRefreshToken({ hash: 'u1b', userId: 'u1', familyId: 'u1-fam-b', expiresAt: now + 60_000 })
    await store.saveRefreshToken({ hash: 'u2a', userId: 'u2', familyId: 'u2-fam-a', expiresAt: now + 60_000 })
    await store.revokeAllFamiliesOfUser('u1')
    await store.revokeAllFamiliesOfUser('nobody')
    expect((await store.consumeRefreshToken('u1a')).status).toBe('invalid')
    expect((await store.consumeRefreshToken('u1b')).status).toBe('invalid')
    expect((await store.consumeRefreshToken('u2a')).status).toBe('ok')
    // A login after "log out everywhere" starts a family that works.
    await store.saveRefreshToken({ hash: 'u1c', userId: 'u1', familyId: 'u1-fam-c', expiresAt: now + 60_000 })
    expect((await store.consumeRefreshToken('u1c')).status).toBe('ok')
  })

  it('answers ping while open and throws once closed', async () => {
    const store = open()
    await expect(store.ping()).resolves.toBeUndefined()
    await store.close()
    await expect(store.ping()).rejects.toThrow()
  })

  it('caches the access token', async () => {
    const store = open()
    expect(await store.getAccessToken()).toBeNull()
    await store.setAccessToken({ token: 't1', expiresAt: now + 7_200_000 })
    expect(await store.getAccessToken()).toEqual({ token: 't1', expiresAt: now + 7_200_000 })
  })

  it('locks: one holder, owner-checked release, expiry frees it', async () => {
    const store = open()
    const owner = await store.acquireLock('l', 200)
    expect(owner).toEqual(expect.any(String))
    expect(await store.acquireLock('l', 200)).toBeNull()
    await store.releaseLock('l', 'not-the-owner')
    expect(await store.acquireLock('l', 200)).toBeNull()
    await store.releaseLock('l', owner!)
    const second = await store.acquireLock('l', 50)
    expect(second).not.toBeNull()
    // Expiry: SQLite follows the injected clock, Redis its own PX timer.
    now += 100
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await store.acquireLock('l', 50)).not.toBeNull()
  })
})

describe.each(SHARED_STORE_KINDS)('two instances sharing one store: $name', (kind) => {
  it('share users, the code guard and refresh tokens', async () => {
    const shared = randomUUID()
    const a = kind.open({ shared })
    const b = kind.open({ shared })
    try {
      const user = await a.upsertUser({ openid: 'o-shared' })
      expect((await b.upsertUser({ openid: 'o-shared' })).id).toBe(user.id)
      expect(await a.claimCode('c', 60_000)).toBe(true)
      expect(await b.claimCode('c', 60_000)).toBe(false)
      await a.saveRefreshToken({ hash: 'h', userId: user.id, familyId: 'f', expiresAt: Date.now() + 60_000 })
      expect((await b.consumeRefreshToken('h')).status).toBe('ok')
      expect((await a.consumeRefreshToken('h')).status).toBe('reused')
      const owner = await a.acquireLock('x', 5000)
      expect(owner).not.toBeNull()
      expect(await b.acquireLock('x', 5000)).toBeNull()
    } finally {
      await a.close()
      await b.close()
    }
  })
})
