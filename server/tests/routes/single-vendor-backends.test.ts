import { describe, expect, it } from 'vitest'
import { type HarnessOptions, TEST_SECRET, useHarness } from '../helpers/harness.js'
import { ALIPAY_APPID, alipayAppPrivatePem, allTargets, DOUYIN_APPID, DOUYIN_SECRET, expectError, login } from '../helpers/providers.js'

// Backends for apps that ship to one vendor only: started in production mode, where no development
// default fills in a WeChat mini-program, with no WX_APPID / WX_SECRET at all.
const PRODUCTION_WITHOUT_WECHAT = { NODE_ENV: 'production', WX_APPID: '', WX_SECRET: '', AUTH_DEV_ENDPOINTS: '' }

const alipayOnly: HarnessOptions = {
  env: { ...PRODUCTION_WITHOUT_WECHAT, ALIPAY_APPID, ALIPAY_PRIVATE_KEY: alipayAppPrivatePem },
  envFromMock: (mock, mockUrl) => ({ ALIPAY_PUBLIC_KEY: mock.alipay.alipayPublicKey, ALIPAY_GATEWAY: `${mockUrl}/gateway.do` }),
  mock: allTargets().mock,
}

const douyinOnly: HarnessOptions = {
  env: { ...PRODUCTION_WITHOUT_WECHAT, DOUYIN_APPID, DOUYIN_SECRET },
  envFromMock: (_mock, mockUrl) => ({ DOUYIN_API_BASE: mockUrl }),
  mock: allTargets().mock,
}

describe.each([
  ['mp-alipay', alipayOnly],
  ['mp-toutiao', douyinOnly],
] as const)('a backend for %s only', (platform, options) => {
  const harness = useHarness(options)
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

  it('has no WeChat mini-program configured', () => {
    expect(Object.keys(harness().config.auth.providers)).toEqual([platform])
    expect(harness().config.auth.wx.appId).toBeUndefined()
    expect(harness().app.uniMpAuth.wechat).toBeNull()
    expect(harness().app.uniMpAuth.wxAccessToken).toBeNull()
    expect(harness().logText()).not.toContain(TEST_SECRET)
  })

  it('logs in against the mock, and /me answers the same user', async () => {
    const first = await login(harness(), { code: 'mock-solo.1', platform })
    expect(first.statusCode, first.body).toBe(200)
    const again = await login(harness(), { code: 'mock-solo.2', platform })
    expect(again.json().user.id).toBe(first.json().user.id)
    const me = await harness().inject({ method: 'GET', url: '/me', headers: bearer(first.json().token) })
    expect(me.statusCode, me.body).toBe(200)
    expect(me.json().user.id).toBe(first.json().user.id)
  })

  it('refuses a mini-program login with PLATFORM_NOT_CONFIGURED naming WX_APPID', async () => {
    const message = expectError(await login(harness(), { code: 'mock-solo.3' }), 400, 'PLATFORM_NOT_CONFIGURED')
    expect(message).toMatch(/WX_APPID and WX_SECRET/)
  })

  it('answers phone binding with a typed PLATFORM_NOT_CONFIGURED, not a 500, and calls WeChat for nothing', async () => {
    const session = (await login(harness(), { code: 'mock-solo.4', platform })).json()
    const before = await harness().stats()
    const response = await harness().inject({
      method: 'POST',
      url: '/auth/phone',
      headers: bearer(session.token),
      payload: { code: 'mock-phone-13912345678' },
    })
    const message = expectError(response, 400, 'PLATFORM_NOT_CONFIGURED')
    expect(message).toMatch(/WeChat mini-program.*set WX_APPID and WX_SECRET \(plugin option wx or providers\['mp-weixin'\]\)/)
    expect(await harness().stats()).toEqual(before)
  })
})
