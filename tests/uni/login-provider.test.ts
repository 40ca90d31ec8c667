import { afterEach, describe, expect, it } from 'vitest'
import { setupUni } from '../support/uni-harness'

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
    expect(h.wx.calls.find((c) => c.api === 'login')?.options.provider).toBe(provider)
  })

  it('getCode replaces uni.login entirely', async () => {
    const h = await setupUni({ getCode: async () => 'code-from-elsewhere' })
    await h.auth.engine.ensureSession()
    expect(h.wx.calls.some((c) => c.api === 'login')).toBe(false)
    expect(h.wx.calls.find((c) => c.api === 'request')?.options.data).toEqual({ code: 'code-from-elsewhere' })
  })

  it('an Alipay-style login result (authCode) is accepted as the code', async () => {
    const h = await setupUni()
    h.wx.handlers.login = (o) => o.success?.({ errMsg: 'login:ok', authCode: 'alipay-auth-code' })
    await h.auth.engine.ensureSession()
    expect(h.wx.calls.find((c) => c.api === 'request')?.options.data).toEqual({ code: 'alipay-auth-code' })
  })
})
