import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { AccessTokenCache, AuthStore } from '../../src/store/types.js'
import { CACHE_KINDS, SHARED_STORE_KINDS, STORE_KINDS } from '../helpers/stores.js'
import { alipay, H5_APPID, h5Weixin, loginAs, MP_APPID, mpWeixin, newLogin } from '../helpers/identities.js'
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

  it('a login creates the user of a new identity, finds it again, and records the identity', async () => {
    const store = await open()
    const a = await loginAs(store, mpWeixin('o1'))
    expect(a).toEqual({ id: expect.any(String), phone: null, createdAt: now })
    expect((await loginAs(store, mpWeixin('o1'))).id).toBe(a.id)
    expect((await loginAs(store, mpWeixin('o2'))).id).not.toBe(a.id)
    expect(await store.getUserById(a.id)).toEqual(a)
    expect(await store.getUserById('missing')).toBeNull()
    expect(await store.listIdentities(a.id)).toEqual([
      { provider: 'weixin', appId: MP_APPID, subject: 'o1', platform: 'mp-weixin', unionid: null, createdAt: now },
    ])
    expect(await store.listIdentities('missing')).toEqual([])
  })

  it("a login starts the login's refresh family with its first token", async () => {
    const store = await open()
    const login = newLogin(now + 60_000)
    const user = await loginAs(store, mpWeixin('o-family'), login)
    expect(await rotate(store, login.refreshTokenHash)).toEqual({ status: 'ok', userId: user.id, familyId: login.familyId })
    // A known identity's login starts a family of its own too.
    const second = newLogin(now + 60_000)
    await loginAs(store, mpWeixin('o-family'), second)
    await store.revokeFamily(login.familyId)
    expect(await rotate(store, second.refreshTokenHash)).toEqual({ status: 'ok', userId: user.id, familyId: second.familyId })
  })

  it('a unionid joins new identities of other WeChat apps to the same user, not those of other vendors', async () => {
    const store = await open()
    const first = await loginAs(store, mpWeixin('o-mp', { unionid: 'u1' }))
    const h5 = await loginAs(store, h5Weixin('o-h5', { unionid: 'u1' }))
    expect(h5.id).toBe(first.id)
    expect((await store.listIdentities(first.id)).map((i) => [i.platform, i.subject, i.unionid])).toEqual([
      ['h5-weixin', 'o-h5', 'u1'],
      ['mp-weixin', 'o-mp', 'u1'],
    ])
    expect((await loginAs(store, h5Weixin('o-h5-other', { unionid: 'u2' }))).id).not.toBe(first.id)
    expect((await loginAs(store, { ...alipay('o-mp'), unionid: 'u1' })).id).not.toBe(first.id)
  })

  it('concurrent first logins of one identity create one user', async () => {
    const store = await open()
    const users = await Promise.all(Array.from({ length: 10 }, () => loginAs(store, mpWeixin('o-race'))))
    expect(new Set(users.map((u) => u.id)).size).toBe(1)
    expect(await store.listIdentities(users[0]!.id)).toHaveLength(1)
  })

  it('concurrent first logins of one person on two apps (one unionid) create one user', async () => {
    const store = await open()
    const users = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        loginAs(store, i % 2 ? h5Weixin('o-h5-race', { unionid: 'u-race' }) : mpWeixin('o-mp-race', { unionid: 'u-race' })),
      ),
    )
    expect(new Set(users.map((u) => u.id)).size).toBe(1)
    expect(await store.listIdentities(users[0]!.id)).toHaveLength(2)
  })

  it('stores the phone number', async () => {
    const store = await open()
    const user = await loginAs(store, mpWeixin('o-phone'))
    expect((await store.setUserPhone(user.id, '13800138000'))?.phone).toBe('13800138000')
    expect((await store.getUserById(user.id))?.phone).toBe('13800138000')
    expect((await loginAs(store, mpWeixin('o-phone'))).phone).toBe('13800138000')
    expect(await store.setUserPhone('missing', '1')).toBeNull()
  })

  it('keeps the latest session key per identity; a login without one keeps it', async () => {
    const store = await open()
    expect(await store.getSessionKey(mpWeixin('o1'))).toBeNull()
    await loginAs(store, mpWeixin('o1', { sessionKey: 'k1' }))
    await loginAs(store, mpWeixin('o1', { sessionKey: 'k2' }))
    expect(await store.getSessionKey(mpWeixin('o1'))).toBe('k2')
    await loginAs(store, mpWeixin('o1', { sessionKey: undefined }))
    expect(await store.getSessionKey(mpWeixin('o1'))).toBe('k2')
    // Per identity: the same openid string in another app is another identity.
    expect(await store.getSessionKey({ ...mpWeixin('o1'), appId: 'wx-other' })).toBeNull()
  })

  it('links an identity of another vendor: it then logs in to the same user; linking it again changes nothing', async () => {
    const store = await open()
    const user = await loginAs(store, mpWeixin('o-link'))
    const linked = await store.linkIdentity(user.id, alipay('2088-link'))
    expect(linked).toEqual({
      provider: 'alipay',
      appId: alipay('x').appId,
      subject: '2088-link',
      platform: 'mp-alipay',
      unionid: null,
      createdAt: now,
    })
    expect(await store.linkIdentity(user.id, alipay('2088-link'))).toEqual(linked)
    expect((await loginAs(store, alipay('2088-link'))).id).toBe(user.id)
    expect((await store.listIdentities(user.id)).map((i) => i.provider)).toEqual(['alipay', 'weixin'])
  })

  it("refuses to link another user's identity, a second identity in one app, or the person behind another user's unionid", async () => {
    const store = await open()
    const user = await loginAs(store, mpWeixin('o-mine'))
    const other = await loginAs(store, h5Weixin('o-theirs', { unionid: 'u-theirs' }))
    const conflict = { code: 'IDENTITY_CONFLICT', statusCode: 409 }
    await expect(store.linkIdentity(user.id, h5Weixin('o-theirs'))).rejects.toMatchObject({
      ...conflict,
      message: expect.stringMatching(/another account/),
    })
    await expect(store.linkIdentity(user.id, mpWeixin('o-second'))).rejects.toMatchObject({
      ...conflict,
      message: expect.stringMatching(/unlink it first/),
    })
    await expect(store.linkIdentity(user.id, { ...alipay('x'), provider: 'weixin', unionid: 'u-theirs' })).rejects.toMatchObject({
      ...conflict,
      message: expect.stringMatching(/person behind/),
    })
    // Nothing moved: each identity still logs in to its own user.
    expect((await loginAs(store, h5Weixin('o-theirs'))).id).toBe(other.id)
    expect(await store.listIdentities(user.id)).toHaveLength(1)
    await expect(store.linkIdentity('missing', alipay('2088-x'))).rejects.toMatchObject({ code: 'AUTH_USER_NOT_FOUND' })
  })

  it('a linked unionid joins later identities of that person to the user', async () => {
    const store = await open()
    const user = await loginAs(store, alipay('2088-first'))
    await store.linkIdentity(user.id, mpWeixin('o-linked', { unionid: 'u-linked' }))
    expect((await loginAs(store, h5Weixin('o-h5-later', { unionid: 'u-linked' }))).id).toBe(user.id)
  })

  it('unlinks an identity, never the last one; an unlinked identity then logs in to a new user', async () => {
    const store = await open()
    const user = await loginAs(store, mpWeixin('o-keep', { unionid: 'u-unlink' }))
    await expect(store.unlinkIdentity(user.id, 'weixin', MP_APPID)).rejects.toMatchObject({ code: 'LAST_IDENTITY', statusCode: 409 })
    await store.linkIdentity(user.id, alipay('2088-unlink'))
    expect(await store.unlinkIdentity(user.id, 'weixin', 'wx-not-linked')).toBe(false)
    expect(await store.unlinkIdentity('missing', 'weixin', MP_APPID)).toBe(false)
    expect(await store.unlinkIdentity(user.id, 'weixin', MP_APPID)).toBe(true)
    expect((await store.listIdentities(user.id)).map((i) => i.provider)).toEqual(['alipay'])
    expect((await loginAs(store, mpWeixin('o-keep', { unionid: 'u-unlink' }))).id).not.toBe(user.id)
    // Nor does the person's unionid lead back to the user.
    expect((await loginAs(store, h5Weixin('o-h5-unlink', { unionid: 'u-unlink' }))).id).not.toBe(user.id)
    expect((await loginAs(store, alipay('2088-unlink'))).id).toBe(user.id)
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

  it('caches one access token per mini-program AppID', async () => {
    const cache = await open()
    expect(await cache.getAccessToken('wxA')).toBeNull()
    await cache.setAccessToken('wxA', { token: 't1', expiresAt: now + 7_200_000 })
    expect(await cache.getAccessToken('wxA')).toEqual({ token: 't1', expiresAt: now + 7_200_000 })
    expect(await cache.getAccessToken('wxB')).toBeNull()
    await cache.setAccessToken('wxB', { token: 't2', expiresAt: now + 1 })
    await cache.setAccessToken('wxA', { token: 't3', expiresAt: now + 2 })
    expect(await cache.getAccessToken('wxA')).toEqual({ token: 't3', expiresAt: now + 2 })
    expect(await cache.getAccessToken('wxB')).toEqual({ token: 't2', expiresAt: now + 1 })
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
    const user = await loginAs(a, mpWeixin('o-shared'))
    expect((await loginAs(b, mpWeixin('o-shared'))).id).toBe(user.id)
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
    const users = await Promise.all(stores.flatMap((s) => Array.from({ length: 5 }, () => loginAs(s, mpWeixin('o-3')))))
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

  it('concurrent first logins of one person on two apps through three instances: one user', async () => {
    const stores = await openShared(3)
    const identities = [mpWeixin('o-mp-3', { unionid: 'u-3' }), h5Weixin('o-h5-3', { unionid: 'u-3' })]
    const users = await Promise.all(stores.flatMap((s) => Array.from({ length: 6 }, (_, i) => loginAs(s, identities[i % 2]!))))
    expect(new Set(users.map((u) => u.id)).size).toBe(1)
    expect((await stores[0]!.listIdentities(users[0]!.id)).map((i) => i.appId)).toEqual(expect.arrayContaining([MP_APPID, H5_APPID]))
  })

  it('a revocation on one instance stops rotation on the others', async () => {
    const [a, b] = (await openShared(2)) as [AuthStore, AuthStore]
    await a.saveRefreshToken(refresh('r1', 'fam-r', Date.now() + 60_000))
    await b.revokeFamily('fam-r')
    expect((await rotate(a, 'r1')).status).toBe('invalid')
  })
})
