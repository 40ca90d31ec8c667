import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMockWechat, type MockWechat } from '../../mock-wechat/app.js'
import { uniMpAuth } from '../../src/index.js'
import { createStore } from '../../src/store/create-store.js'
import type { AuthStore } from '../../src/store/types.js'
import { TEST_APPID, TEST_JWT_SECRET, TEST_SECRET, useHarness } from '../helpers/harness.js'
import { expectError, login, MP2_APPID, MP2_SECRET, useAllTargets } from '../helpers/providers.js'

describe('POST /auth/login picks the target and AppID', () => {
  const harness = useAllTargets()

  it('equal code strings on different targets are each exchanged once, as different users', async () => {
    const targets = ['mp-weixin', 'h5-weixin', 'mp-alipay', 'mp-toutiao'] as const
    const answers = await Promise.all(targets.map((platform) => login(harness(), { code: 'mock-same.1', platform })))
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(200)
    expect(new Set(answers.map((answer) => answer.json().user.id)).size).toBe(targets.length)
  })

  it('a login without platform is mp-weixin (clients of 0.2)', async () => {
    const bare = await login(harness(), { code: 'mock-legacy.1' })
    const named = await login(harness(), { code: 'mock-legacy.2', platform: 'mp-weixin', appId: TEST_APPID })
    expect(named.json().user.id).toBe(bare.json().user.id)
  })

  it('an AppID that is not configured for the target is APPID_NOT_CONFIGURED, without an upstream call', async () => {
    const before = await harness().stats()
    const message = expectError(
      await login(harness(), { code: 'mock-x.1', platform: 'h5-weixin', appId: 'wx-not-ours' }),
      400,
      'APPID_NOT_CONFIGURED',
    )
    expect(message).toMatch(/WX_H5_APPID/)
    expect(message).not.toContain('wx-not-ours')
    // The mini-program's AppID is not one of the official account's.
    expectError(await login(harness(), { code: 'mock-x.2', platform: 'h5-weixin', appId: TEST_APPID }), 400, 'APPID_NOT_CONFIGURED')
    expect(await harness().stats()).toEqual(before)
  })

  it('an unknown platform is a BAD_REQUEST', async () => {
    expectError(await login(harness(), { code: 'mock-x.3', platform: 'mp-weixn' }), 400, 'BAD_REQUEST')
    expectError(await login(harness(), { code: 'mock-x.4', appId: '' }), 400, 'BAD_REQUEST')
  })
})

describe('POST /auth/login with only the mini-program configured', () => {
  const harness = useHarness()

  it.each([
    ['h5-weixin', /WX_H5_APPID and WX_H5_SECRET/],
    ['app-weixin', /WX_APP_APPID and WX_APP_SECRET/],
    ['web-weixin', /WX_WEB_APPID/],
    ['mp-alipay', /ALIPAY_APPID, ALIPAY_PRIVATE_KEY and ALIPAY_PUBLIC_KEY/],
    ['mp-toutiao', /DOUYIN_APPID and DOUYIN_SECRET \(plugin option providers\['mp-toutiao'\]\)/],
    ['mp-qq', /QQ_APPID and QQ_SECRET \(plugin option providers\['mp-qq'\]\)/],
  ])('%s is PLATFORM_NOT_CONFIGURED, naming the settings', async (platform, setting) => {
    const message = expectError(await login(harness(), { code: 'mock-nobody.1', platform }), 400, 'PLATFORM_NOT_CONFIGURED')
    expect(message).toMatch(setting)
  })
})

describe('the providers plugin option: several mini-programs of one company', () => {
  let mock: MockWechat
  let store: AuthStore
  const app = Fastify()

  beforeAll(async () => {
    store = await createStore('sqlite::memory:')
    mock = buildMockWechat({ appId: TEST_APPID, secret: TEST_SECRET, wechatApps: [{ appId: MP2_APPID, secret: MP2_SECRET }] })
    const apiBase = await mock.app.listen({ host: '127.0.0.1', port: 0 })
    await app.register(uniMpAuth, {
      wx: { appId: TEST_APPID, secret: TEST_SECRET, apiBase },
      providers: { 'mp-weixin': { apps: [{ appId: MP2_APPID, secret: MP2_SECRET }] } },
      jwt: { secret: TEST_JWT_SECRET },
      store,
    })
  })
  afterAll(async () => {
    await app.close()
    await mock.app.close()
    await store.close()
  })

  it('exchanges each code with its own AppID; the wx AppID stays the default', async () => {
    expect(app.uniMpAuth.config.providers['mp-weixin']?.apps.map((entry) => entry.appId)).toEqual([TEST_APPID, MP2_APPID])
    const second = await app.inject({ method: 'POST', url: '/auth/login', payload: { code: 'mock-kim.1', appId: MP2_APPID } })
    expect(second.statusCode, second.body).toBe(200)
    const first = await app.inject({ method: 'POST', url: '/auth/login', payload: { code: 'mock-kim.2' } })
    expect(first.statusCode, first.body).toBe(200)
    // Without a shared unionid, one person in two mini-programs is two openids: two users.
    expect(first.json().user.id).not.toBe(second.json().user.id)
    // A code minted for the second app, sent without its appId, goes to the first app: refused there.
    const { code } = mock.state.mintLoginCode({ appId: MP2_APPID })
    const wrongApp = await app.inject({ method: 'POST', url: '/auth/login', payload: { code } })
    expect(wrongApp.json().code).toBe('WX_CODE_INVALID')
    expect(app.uniMpAuth.providers.platforms).toEqual(['mp-weixin'])
  })
})

describe('codes the vendor rejects count against the address, whatever the target', () => {
  const harness = useAllTargets({ env: { RATE_LIMIT_LOGIN_FAILURES: '2' } })

  it('two rejected Alipay / Douyin codes, then 429 before any upstream call', async () => {
    const address = '203.0.113.9'
    expectError(await login(harness(), { code: 'junk-1', platform: 'mp-alipay' }, address), 400, 'PROVIDER_CODE_INVALID')
    expectError(await login(harness(), { code: 'junk-2', platform: 'mp-toutiao' }, address), 400, 'PROVIDER_CODE_INVALID')
    const before = await harness().stats()
    expectError(await login(harness(), { code: 'junk-3', platform: 'mp-alipay' }, address), 429, 'RATE_LIMITED')
    expect(await harness().stats()).toEqual(before)
    // Another address is not affected.
    expect((await login(harness(), { code: 'mock-ok.1', platform: 'mp-alipay' }, '203.0.113.10')).statusCode).toBe(200)
  })
})
