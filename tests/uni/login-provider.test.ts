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
