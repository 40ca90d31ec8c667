import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { AccessTokenCache, AuthStore } from '../../src/store/types.js'
import { CACHE_KINDS, STORE_KINDS } from '../helpers/stores.js'
import { h5Weixin, loginAs, MP_APPID, mpWeixin, newLogin } from '../helpers/identities.js'
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

  it('a known identity keeps its user when it first reports a unionid another user already has', async () => {
    const store = await open()
    // Its app was bound to the open platform after the identity's first login.
    const early = await loginAs(store, mpWeixin('o-early'))
    const owner = await loginAs(store, h5Weixin('o-owner', { unionid: 'u-shared' }))
    const again = await loginAs(store, mpWeixin('o-early', { unionid: 'u-shared' }))
    expect(again.id).toBe(early.id)
    expect(owner.id).not.toBe(early.id)
    expect(await store.listIdentities(early.id)).toMatchObject([{ subject: 'o-early', unionid: 'u-shared' }])
    // The unionid still leads to the user that had it first.
    expect((await loginAs(store, mpWeixin('o-third', { appId: 'wx-third', unionid: 'u-shared' }), newLogin())).id).toBe(owner.id)
  })

  it("a new identity in an app its unionid's user already has an identity in starts a user of its own", async () => {
    const store = await open()
    const owner = await loginAs(store, mpWeixin('o-first', { unionid: 'u-app' }))
    const second = await loginAs(store, mpWeixin('o-second', { unionid: 'u-app' }))
    expect(second.id).not.toBe(owner.id)
    expect((await loginAs(store, h5Weixin('o-h5', { unionid: 'u-app' }))).id).toBe(owner.id)
    expect((await loginAs(store, mpWeixin('o-second', { unionid: 'u-app' }))).id).toBe(second.id)
  })

  it('a unionid first reported by a known identity joins later identities of the person to its user', async () => {
    const store = await open()
    const user = await loginAs(store, mpWeixin('o-late'))
    await loginAs(store, mpWeixin('o-late', { unionid: 'u-late' }))
    expect((await loginAs(store, h5Weixin('o-h5-late', { unionid: 'u-late' }))).id).toBe(user.id)
  })

  it('unlinking one of two identities of a unionid keeps the unionid with the user', async () => {
    const store = await open()
    const user = await loginAs(store, mpWeixin('o-a', { unionid: 'u-two' }))
    await loginAs(store, h5Weixin('o-b', { unionid: 'u-two' }))
    expect(await store.unlinkIdentity(user.id, 'weixin', MP_APPID)).toBe(true)
    expect((await loginAs(store, mpWeixin('o-a', { unionid: 'u-two' }))).id).toBe(user.id)
  })

  it('links an identity carrying the unionid the user already holds, without a conflict', async () => {
    const store = await open()
    const user = await loginAs(store, mpWeixin('o-holder', { unionid: 'u-held' }))
    expect(await store.linkIdentity(user.id, h5Weixin('o-holder-h5', { unionid: 'u-held' }))).toMatchObject({ appId: expect.any(String) })
    expect((await store.listIdentities(user.id)).map((identity) => identity.subject).sort()).toEqual(['o-holder', 'o-holder-h5'])
  })

  it('linking an identity the user already has refreshes its session key only', async () => {
    const store = await open()
    const user = await loginAs(store, mpWeixin('o-relink', { sessionKey: 'sk-first' }))
    await store.linkIdentity(user.id, mpWeixin('o-relink', { sessionKey: 'sk-second' }))
    expect(await store.getSessionKey({ provider: 'weixin', appId: MP_APPID, subject: 'o-relink' })).toBe('sk-second')
    expect(await store.listIdentities(user.id)).toHaveLength(1)
  })

  it('link and unlink answer for a user that does not exist, and refuse the last identity with a message saying what to do', async () => {
    const store = await open()
    await expect(store.linkIdentity(randomUUID(), mpWeixin('o-nobody'))).rejects.toMatchObject({
      code: 'AUTH_USER_NOT_FOUND',
      message: 'User no longer exists',
    })
    expect(await store.unlinkIdentity(randomUUID(), 'weixin', MP_APPID)).toBe(false)
    const user = await loginAs(store, mpWeixin('o-only'))
    await expect(store.unlinkIdentity(user.id, 'weixin', MP_APPID)).rejects.toMatchObject({
      code: 'LAST_IDENTITY',
      message: 'This is the only way this account can log in; link another identity before removing it',
    })
  })

  it("unlinking a unionid's last WeChat identity frees the unionid, though another vendor's identity has the same string", async () => {
    const store = await open()
    const user = await loginAs(store, mpWeixin('o-leaving', { unionid: 'u-same-string' }))
    await store.linkIdentity(user.id, { provider: 'qq', platform: 'mp-qq', appId: '1101', subject: 'qq-stays', unionid: 'u-same-string' })
    expect(await store.unlinkIdentity(user.id, 'weixin', MP_APPID)).toBe(true)
    // The person's next WeChat identity no longer joins this user: the anchor went with the identity.
    expect((await loginAs(store, h5Weixin('o-next', { unionid: 'u-same-string' }))).id).not.toBe(user.id)
  })

  it("two unlinks of a user's only two identities at once leave one: the user's identities are locked in turn", async () => {
    const store = await open()
    for (let round = 0; round < 10; round += 1) {
      const user = await loginAs(store, mpWeixin(`o-race-${round}`))
      await store.linkIdentity(user.id, h5Weixin(`o-race-h5-${round}`))
      const results = await Promise.allSettled([
        store.unlinkIdentity(user.id, 'weixin', MP_APPID),
        store.unlinkIdentity(user.id, 'weixin', h5Weixin('x').appId),
      ])
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
      expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'LAST_IDENTITY' } })
      expect(await store.listIdentities(user.id)).toHaveLength(1)
    }
  })

  it('several first logins of one unionid at once, each on its own app, agree on one user', async () => {
    const store = await open()
    const users = await Promise.all(
      ['wx-a', 'wx-b', 'wx-c', 'wx-d'].map((appId) => loginAs(store, mpWeixin(`o-${appId}`, { appId, unionid: 'u-race' }))),
    )
    expect(new Set(users.map((user) => user.id)).size).toBe(1)
    expect(await store.listIdentities(users[0]!.id)).toHaveLength(4)
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
