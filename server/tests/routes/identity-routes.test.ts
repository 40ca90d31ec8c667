import { describe, expect, it } from 'vitest'
import { TEST_APPID, useHarness } from '../helpers/harness.js'
import { alipay, newLogin } from '../helpers/identities.js'
import { ALIPAY_APPID, expectError, login, useAllTargets } from '../helpers/providers.js'

const STORE_ALIPAY_APPID = alipay('x').appId

describe('identities: GET /me/identities, POST /auth/link, DELETE /auth/identities/{provider}/{appId}', () => {
  const harness = useHarness()
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
  const identitiesOf = async (token: string) => {
    const response = await harness().inject({ method: 'GET', url: '/me/identities', headers: bearer(token) })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ identities: { provider: string; platform: string; appId: string; createdAt: string }[] }>().identities
  }
  const link = (token: string, payload: Record<string, unknown>) =>
    harness().inject({ method: 'POST', url: '/auth/link', headers: bearer(token), payload })
  const unlink = (token: string, provider: string, appId: string) =>
    harness().inject({ method: 'DELETE', url: `/auth/identities/${provider}/${appId}`, headers: bearer(token) })
  const mint = (openid: string) => harness().mock.state.mintLoginCode({ openid }).code

  /** A user who first logged in on Alipay (through the store, as the provider would), with an access token. */
  const alipayUser = async (subject: string) => {
    const { store, accessTokens } = harness().app.uniMpAuth
    const login = newLogin()
    const user = await store.loginWithIdentity(alipay(subject), login)
    return { userId: user.id, token: (await accessTokens.issue(user.id, login.familyId)).token }
  }

  it('lists the identities of the user without its openid or session key', async () => {
    const session = await harness().login({ openid: 'o-list' })
    const identities = await identitiesOf(session.token)
    expect(identities).toEqual([{ provider: 'weixin', platform: 'mp-weixin', appId: TEST_APPID, createdAt: session.user.createdAt }])
    expect(JSON.stringify(identities)).not.toContain('o-list')
  })

  it('links the mini-program to a user of another platform: the mini-program then logs in to that user', async () => {
    const { userId, token } = await alipayUser('2088-link-http')
    const response = await link(token, { code: mint('o-linked-http'), platform: 'mp-weixin' })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().identities.map((i: { provider: string; appId: string }) => [i.provider, i.appId])).toEqual(
      expect.arrayContaining([
        ['alipay', STORE_ALIPAY_APPID],
        ['weixin', TEST_APPID],
      ]),
    )
    expect((await harness().login({ openid: 'o-linked-http' })).user.id).toBe(userId)
  })

  it("refuses another user's identity with 409 IDENTITY_CONFLICT and merges nothing", async () => {
    const owner = await harness().login({ openid: 'o-owner' })
    const { userId, token } = await alipayUser('2088-wants-it')
    const response = await link(token, { code: mint('o-owner'), platform: 'mp-weixin', appId: TEST_APPID })
    expect(response.statusCode).toBe(409)
    expect(response.json()).toEqual({ code: 'IDENTITY_CONFLICT', message: expect.stringMatching(/another account/) })
    expect((await harness().login({ openid: 'o-owner' })).user.id).toBe(owner.user.id)
    expect((await identitiesOf(token)).map((i) => i.provider)).toEqual(['alipay'])
    expect(userId).not.toBe(owner.user.id)
  })

  it('linking an identity the user already has changes nothing; a second one of the same app is a conflict', async () => {
    const session = await harness().login({ openid: 'o-twice' })
    const again = await link(session.token, { code: mint('o-twice'), platform: 'mp-weixin' })
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json().identities).toHaveLength(1)
    const second = await link(session.token, { code: mint('o-twice-other'), platform: 'mp-weixin' })
    expect(second.statusCode).toBe(409)
    expect(second.json()).toMatchObject({ code: 'IDENTITY_CONFLICT', message: expect.stringMatching(/unlink it first/) })
  })

  it('refuses a replayed code, a target without a provider, another AppID and an anonymous caller', async () => {
    const session = await harness().login({ openid: 'o-refusals' })
    const code = mint('o-refusals')
    expect((await link(session.token, { code, platform: 'mp-weixin' })).statusCode).toBe(200)
    const replayed = await link(session.token, { code, platform: 'mp-weixin' })
    expect([replayed.statusCode, replayed.json().code]).toEqual([400, 'WX_CODE_USED'])
    const h5 = await link(session.token, { code: mint('o-h5'), platform: 'h5-weixin' })
    expect([h5.statusCode, h5.json()]).toEqual([400, { code: 'PLATFORM_NOT_CONFIGURED', message: expect.stringMatching(/h5-weixin/) }])
    const otherApp = await link(session.token, { code: mint('o-h5'), platform: 'mp-weixin', appId: 'wx-not-configured' })
    expect([otherApp.statusCode, otherApp.json().code]).toEqual([400, 'APPID_NOT_CONFIGURED'])
    const unknownTarget = await link(session.token, { code: mint('o-h5'), platform: 'mp-unknown' })
    expect(unknownTarget.statusCode).toBe(400)
    const anonymous = await harness().inject({ method: 'POST', url: '/auth/link', payload: { code: mint('o-h5'), platform: 'mp-weixin' } })
    expect([anonymous.statusCode, anonymous.json().code]).toEqual([401, 'AUTH_TOKEN_MISSING'])
  })

  it('unlinks an identity (204), never the last one (409 LAST_IDENTITY), and answers 404 for an app the user has none in', async () => {
    const session = await harness().login({ openid: 'o-unlink' })
    const last = await unlink(session.token, 'weixin', TEST_APPID)
    expect([last.statusCode, last.json().code]).toEqual([409, 'LAST_IDENTITY'])
    const none = await unlink(session.token, 'alipay', STORE_ALIPAY_APPID)
    expect([none.statusCode, none.json().code]).toEqual([404, 'IDENTITY_NOT_FOUND'])
    expect((await unlink(session.token, 'line', TEST_APPID)).statusCode).toBe(400)
    expect((await unlink(session.token, 'qq', TEST_APPID)).statusCode).toBe(404)

    await harness().app.uniMpAuth.store.linkIdentity(session.user.id, alipay('2088-unlink-http'))
    const removed = await unlink(session.token, 'weixin', TEST_APPID)
    expect(removed.statusCode, removed.body).toBe(204)
    expect((await identitiesOf(session.token)).map((i) => i.provider)).toEqual(['alipay'])
    // The unlinked mini-program identity now logs in to a user of its own.
    expect((await harness().login({ openid: 'o-unlink' })).user.id).not.toBe(session.user.id)
  })
})

describe('identities across targets (every target configured against the mocks)', () => {
  const harness = useAllTargets()
  const sessionOf = async (payload: Record<string, unknown>) => {
    const response = await login(harness(), payload)
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ token: string; user: { id: string } }>()
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

  it('an Alipay user links the WeChat mini-program, then logs in there as the same user; another user cannot take it', async () => {
    const carol = await sessionOf({ code: 'mock-carol.1', platform: 'mp-alipay' })
    const linked = await harness().inject({
      method: 'POST',
      url: '/auth/link',
      headers: bearer(carol.token),
      payload: { code: 'mock-carolwx.1', platform: 'mp-weixin' },
    })
    expect(linked.statusCode, linked.body).toBe(200)
    expect(
      linked
        .json()
        .identities.map((i: { platform: string }) => i.platform)
        .sort(),
    ).toEqual(['mp-alipay', 'mp-weixin'])
    expect((await sessionOf({ code: 'mock-carolwx.2', platform: 'mp-weixin' })).user.id).toBe(carol.user.id)

    const dave = await sessionOf({ code: 'mock-dave.1', platform: 'mp-toutiao' })
    const taken = await harness().inject({
      method: 'POST',
      url: '/auth/link',
      headers: bearer(dave.token),
      payload: { code: 'mock-carolwx.3', platform: 'mp-weixin' },
    })
    expectError(taken, 409, 'IDENTITY_CONFLICT')

    // Carol unlinks Alipay: logging in there again starts a user of its own.
    const unlinked = await harness().inject({
      method: 'DELETE',
      url: `/auth/identities/alipay/${ALIPAY_APPID}`,
      headers: bearer(carol.token),
    })
    expect(unlinked.statusCode, unlinked.body).toBe(204)
    expect((await sessionOf({ code: 'mock-carol.2', platform: 'mp-alipay' })).user.id).not.toBe(carol.user.id)
  })
})
