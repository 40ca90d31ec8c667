import { afterEach, describe, expect, it } from 'vitest'
import { loginProviderForBuild } from '../../src/uni/login-provider'
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
    ['h5', undefined],
  ])('%s → %s', (platform, provider) => {
    process.env.UNI_PLATFORM = platform
    expect(loginProviderForBuild()).toBe(provider)
  })

  it('uni.login receives the provider of the build, and an explicit option wins', async () => {
    process.env.UNI_PLATFORM = 'mp-alipay'
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    expect(h.wx.calls.find((c) => c.api === 'login')?.options).toMatchObject({ provider: 'alipay' })
    const explicit = await setupUni({ provider: 'weixin' })
    await explicit.auth.engine.ensureSession()
    expect(explicit.wx.calls.find((c) => c.api === 'login')?.options).toMatchObject({ provider: 'weixin' })
  })

  it('an Alipay-style login result (authCode) is accepted as the code', async () => {
    const h = await setupUni()
    h.wx.handlers.login = (o) => o.success?.({ errMsg: 'login:ok', authCode: 'alipay-auth-code' })
    await h.auth.engine.ensureSession()
    const login = h.backend.seen.find((r) => r.url.endsWith('/auth/login'))
    expect(login).toBeTruthy()
    expect(h.wx.calls.find((c) => c.api === 'request')?.options.data).toEqual({ code: 'alipay-auth-code' })
  })
})
