import { afterEach, describe, expect, it } from 'vitest'
import { sentOptions, setupUni } from '../../testkit/harness/uni-harness'

describe('login provider chosen by the build target', () => {
  const original = process.env.UNI_PLATFORM
  afterEach(() => {
    if (original === undefined) delete process.env.UNI_PLATFORM
    else process.env.UNI_PLATFORM = original
  })

  it.each([
    ['mp-weixin', 'weixin'],
    ['mp-alipay', 'alipay'],
    ['mp-toutiao', 'toutiao'],
    ['mp-qq', 'qq'],
    ['mp-baidu', 'baidu'],
    ['mp-kuaishou', 'kuaishou'],
    ['h5', undefined],
  ])('%s → uni.login({ provider: %s })', async (platform, provider) => {
    process.env.UNI_PLATFORM = platform
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    expect(sentOptions(h.wx.calls.of('login')[0]!).provider).toBe(provider)
  })

  it('app → uni.login({ provider: weixin, onlyAuthorize: true }): the code goes to the backend, not to uniCloud', async () => {
    // The App runtime cannot run here: this pins the call the App build makes, over the fake uni.
    process.env.UNI_PLATFORM = 'app'
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    expect(sentOptions(h.wx.calls.of('login')[0]!)).toMatchObject({ provider: 'weixin', onlyAuthorize: true })
  })

  it.each(['mp-weixin', 'mp-alipay', 'h5'])('%s → uni.login without onlyAuthorize', async (platform) => {
    process.env.UNI_PLATFORM = platform
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    expect(sentOptions(h.wx.calls.of('login')[0]!)).not.toHaveProperty('onlyAuthorize')
  })

  it('getCode replaces uni.login entirely', async () => {
    let elsewhere = ''
    const h = await setupUni({ getCode: async () => elsewhere })
    elsewhere = h.backend.mintCode('openid-h5') // a code the backend knows, obtained without uni.login
    await h.auth.engine.ensureSession()
    expect(h.count('login')).toBe(0)
    expect(sentOptions(h.wx.calls.of('request')[0]!).data).toEqual({ code: elsewhere })
  })

  it('an Alipay-style login result (authCode) is accepted as the code', async () => {
    const h = await setupUni()
    const authCode = h.backend.mintCode('openid-alipay')
    h.wx.behaviour.login = { success: { authCode } }
    await h.auth.engine.ensureSession()
    expect(sentOptions(h.wx.calls.of('request')[0]!).data).toEqual({ code: authCode })
  })
})

describe('the login request names its build target', () => {
  const original = process.env.UNI_PLATFORM
  afterEach(() => {
    if (original === undefined) delete process.env.UNI_PLATFORM
    else process.env.UNI_PLATFORM = original
  })

  /** The body of the first login exchange of a fresh app built for `platform`. */
  async function loginBody(platform: string | undefined, options: Parameters<typeof setupUni>[0] = {}) {
    if (platform === undefined) delete process.env.UNI_PLATFORM
    else process.env.UNI_PLATFORM = platform
    const h = await setupUni(options)
    // Codes made up here are refused by the fake backend: only what was sent matters.
    await h.auth.engine.ensureSession().catch(() => {})
    return sentOptions(h.wx.calls.of('request')[0]!).data
  }

  it.each([
    ['mp-alipay', 'mp-alipay'],
    ['mp-toutiao', 'mp-toutiao'],
    ['mp-qq', 'mp-qq'],
    ['app', 'app-weixin'],
  ])('built for %s → { code, platform: %s }', async (built, platform) => {
    expect(await loginBody(built)).toEqual({ code: expect.any(String), platform })
  })

  it.each([['h5'], [undefined]])('built for %s with a plain getCode → { code } alone (the backend’s default)', async (built) => {
    expect(await loginBody(built, { getCode: async () => 'c-1' })).toEqual({ code: 'c-1' })
  })

  it('built for mp-weixin → { code } alone: the backend’s default target, so the default install sends nothing more', async () => {
    expect(await loginBody('mp-weixin')).toEqual({ code: expect.any(String) })
  })

  it('a code source that declares its target (WeChat OAuth on H5) sends it', async () => {
    const getCode = Object.assign(async () => 'oauth-code', { target: { platform: 'h5-weixin', appId: 'wx-oa' } })
    expect(await loginBody('h5', { getCode })).toEqual({ code: 'oauth-code', platform: 'h5-weixin', appId: 'wx-oa' })
  })

  it('the target option wins over the code source and the build, field by field', async () => {
    const getCode = Object.assign(async () => 'c', { target: { platform: 'h5-weixin', appId: 'wx-oa' } })
    expect(await loginBody('h5', { getCode, target: { appId: 'wx-other' } })).toEqual({
      code: 'c',
      platform: 'h5-weixin',
      appId: 'wx-other',
    })
    expect(await loginBody('mp-weixin', { target: { platform: 'mp-weixin', appId: 'wx-second' } })).toEqual({
      code: expect.any(String),
      platform: 'mp-weixin',
      appId: 'wx-second',
    })
  })

  it('a login function receives the code alone: the target is the URL form’s business', async () => {
    process.env.UNI_PLATFORM = 'mp-alipay'
    const seen: unknown[] = []
    const h = await setupUni({
      target: { appId: 'x' },
      login: async (...args: unknown[]) => {
        seen.push(args)
        return { token: 't' }
      },
    })
    await h.auth.engine.ensureSession()
    expect(seen).toEqual([[expect.any(String)]])
  })
})
