import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/base/errors.js'
import { loadConfig } from '../../src/config/environment.js'
import { providersFrom } from '../../src/config/provider-environment.js'
import { pluginSource } from '../../src/config/resolve-options.js'
import { resolveProviders } from '../../src/config/resolve-providers.js'
import type { ProvidersOptions } from '../../src/providers/options.js'

const wx = { appId: 'wx-main', secret: 'main-secret', apiBase: 'https://api.weixin.qq.com', timeoutMs: 5000 }
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()
const publicBare = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
const privateBarePkcs8 = keys.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64')

function refused(options: unknown, message: RegExp): void {
  let thrown: unknown
  try {
    resolveProviders(options as ProvidersOptions, wx, pluginSource())
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(ConfigError)
  expect((thrown as Error).message).toMatch(message)
}

describe('resolveProviders', () => {
  it('makes the wx app the first mp-weixin app; other targets only when given', () => {
    const resolved = resolveProviders(
      {
        'mp-weixin': {
          apps: [
            { appId: 'wx-second', secret: 's2' },
            { appId: 'wx-main', secret: 'main-secret' },
          ],
        },
      },
      wx,
      pluginSource(),
    )
    expect(resolved['mp-weixin']).toEqual({
      apps: [
        { appId: 'wx-main', secret: 'main-secret' },
        { appId: 'wx-second', secret: 's2' },
      ],
      apiBase: 'https://api.weixin.qq.com',
      timeoutMs: 5000,
    })
    expect(Object.keys(resolved)).toEqual(['mp-weixin'])
  })

  it('fills vendor defaults and keeps given transport settings', () => {
    const resolved = resolveProviders(
      {
        'h5-weixin': { apps: [{ appId: 'wx-h5', secret: 'h5' }], timeoutMs: 900 },
        'mp-toutiao': { apps: [{ appId: 'tt1', secret: 'tt' }] },
        'mp-qq': { apps: [{ appId: '1101', secret: 'qq' }] },
        'mp-alipay': {
          apps: [{ appId: '2021', privateKey: privateBarePkcs8, alipayPublicKey: publicBare }],
          apiBase: 'http://127.0.0.1:9/gateway.do/',
        },
      },
      wx,
      pluginSource(),
    )
    expect(resolved['h5-weixin']).toMatchObject({ apiBase: wx.apiBase, timeoutMs: 900 })
    expect(resolved['mp-toutiao']).toMatchObject({ apiBase: 'https://developer.toutiao.com', timeoutMs: 5000 })
    expect(resolved['mp-qq']).toEqual({ apps: [{ appId: '1101', secret: 'qq' }], apiBase: 'https://api.q.qq.com', timeoutMs: 5000 })
    expect(resolved['mp-alipay']?.apiBase).toBe('http://127.0.0.1:9/gateway.do')
    expect(resolved['mp-alipay']?.apps[0]?.privateKey).toBe(privateBarePkcs8)
    // A resolved configuration resolves to itself (buildApp hands the resolved settings to the plugin).
    expect(resolveProviders(resolved, wx, pluginSource())).toEqual(resolved)
  })

  it.each([
    [{ 'mp-weixn': { apps: [] } }, /unknown target 'mp-weixn'; known targets: mp-weixin, h5-weixin/],
    [{ 'h5-weixin': {} }, /providers\['h5-weixin'\]\.apps must list at least one app/],
    [{ 'h5-weixin': { apps: [{ appId: 'wx-h5' }] } }, /providers\['h5-weixin'\]\.apps\[0\]\.secret is required/],
    [
      {
        'mp-toutiao': {
          apps: [
            { appId: 'a', secret: 'x' },
            { appId: 'a', secret: 'y' },
          ],
        },
      },
      /lists AppID a twice/,
    ],
    [{ 'mp-weixin': { apps: [{ appId: 'wx-main', secret: 'other' }] } }, /wx AppID wx-main with another secret/],
    [{ 'h5-weixin': { apps: [{ appId: 'wx-h5', secret: 's' }], timeoutMs: 0 } }, /timeoutMs must be a positive integer/],
    [{ 'mp-toutiao': { apps: [{ appId: 'a', secret: 'x' }], apiBase: 'developer.toutiao.com' } }, /apiBase must be an http\(s\) URL/],
    [
      { 'mp-alipay': { apps: [{ appId: '2021', privateKey: 'not a key', alipayPublicKey: publicPem }] } },
      /apps\[0\]\.privateKey is not an RSA private key/,
    ],
    [
      { 'mp-alipay': { apps: [{ appId: '2021', privateKey: privatePem, alipayPublicKey: privatePem }] } },
      /apps\[0\]\.alipayPublicKey is a private key; give Alipay's public key/,
    ],
    [
      {
        'mp-alipay': {
          apps: [
            {
              appId: '2021',
              privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
              alipayPublicKey: publicPem,
            },
          ],
        },
      },
      /is a ec key; Alipay RSA2 needs an RSA key/,
    ],
  ])('refuses options, case %#', (options, message) => refused(options, message))
})

describe('the standalone server: providers from the environment', () => {
  it('reads each target from its own variables; several AppIDs as comma lists', () => {
    const providers = providersFrom({
      WX_H5_APPID: 'wx-h5a, wx-h5b',
      WX_H5_SECRET: 'sa,sb',
      WX_APP_APPID: 'wx-app',
      WX_APP_SECRET: 'sapp',
      DOUYIN_APPID: 'tt1',
      DOUYIN_SECRET: 'st',
      DOUYIN_API_BASE: 'http://127.0.0.1:1',
      DOUYIN_TIMEOUT_MS: '800',
      QQ_APPID: '1101,1102',
      QQ_SECRET: 'q1,q2',
      QQ_API_BASE: 'http://127.0.0.1:3/qq',
    })
    expect(providers).toEqual({
      'h5-weixin': {
        apps: [
          { appId: 'wx-h5a', secret: 'sa' },
          { appId: 'wx-h5b', secret: 'sb' },
        ],
      },
      'app-weixin': { apps: [{ appId: 'wx-app', secret: 'sapp' }] },
      'mp-toutiao': { apps: [{ appId: 'tt1', secret: 'st' }], apiBase: 'http://127.0.0.1:1', timeoutMs: 800 },
      'mp-qq': {
        apps: [
          { appId: '1101', secret: 'q1' },
          { appId: '1102', secret: 'q2' },
        ],
        apiBase: 'http://127.0.0.1:3/qq',
      },
    })
    expect(providersFrom({})).toEqual({})
  })

  it('reads Alipay keys from files, with \\n escapes in variables accepted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alipay-keys-'))
    writeFileSync(join(dir, 'app.pem'), privatePem)
    const config = loadConfig({
      ALIPAY_APPID: '2021',
      ALIPAY_PRIVATE_KEY_FILE: join(dir, 'app.pem'),
      ALIPAY_PUBLIC_KEY: publicPem.replace(/\n/g, '\\n'),
      ALIPAY_GATEWAY: 'http://127.0.0.1:2/gateway.do',
    })
    expect(config.auth.providers['mp-alipay']).toEqual({
      apps: [{ appId: '2021', privateKey: privatePem.trim(), alipayPublicKey: publicPem.replace(/\n/g, '\\n').trim() }],
      apiBase: 'http://127.0.0.1:2/gateway.do',
      timeoutMs: 5000,
    })
    expect(Object.keys(config.auth.providers)).toEqual(['mp-weixin', 'mp-alipay'])
  })

  it.each([
    [{ WX_H5_APPID: 'wx-h5' }, /^WX_H5_APPID set but WX_H5_SECRET not: set all of WX_H5_APPID, WX_H5_SECRET to enable h5-weixin/],
    [{ DOUYIN_SECRET: 's' }, /^DOUYIN_SECRET set but DOUYIN_APPID not/],
    [
      { WX_WEB_APPID: 'a,b', WX_WEB_SECRET: 's' },
      /^WX_WEB_APPID and WX_WEB_SECRET must list the same number of comma-separated values \(2 and 1\)/,
    ],
    [{ WX_WEB_APPID: 'a,', WX_WEB_SECRET: 's,t' }, /^WX_WEB_APPID is required/],
    [{ ALIPAY_APPID: '2021', ALIPAY_PUBLIC_KEY: publicPem }, /^ALIPAY_APPID, ALIPAY_PUBLIC_KEY set but ALIPAY_PRIVATE_KEY not/],
    [
      { ALIPAY_APPID: '2021', ALIPAY_PRIVATE_KEY: 'garbage', ALIPAY_PUBLIC_KEY: publicPem },
      /^ALIPAY_PRIVATE_KEY is not an RSA private key/,
    ],
    [{ ALIPAY_APPID: '2021', ALIPAY_PRIVATE_KEY: privatePem, ALIPAY_PUBLIC_KEY: 'garbage' }, /^ALIPAY_PUBLIC_KEY is not an RSA public key/],
    [{ ALIPAY_APPID: '2021', ALIPAY_PRIVATE_KEY: privatePem, ALIPAY_PUBLIC_KEY: privatePem }, /^ALIPAY_PUBLIC_KEY is a private key/],
    [{ DOUYIN_APPID: 'a', DOUYIN_SECRET: 'b', DOUYIN_TIMEOUT_MS: '-1' }, /^DOUYIN_TIMEOUT_MS must be a positive integer, got -1/],
    [{ DOUYIN_APPID: 'a', DOUYIN_SECRET: 'b', DOUYIN_TIMEOUT_MS: 'soon' }, /^DOUYIN_TIMEOUT_MS must be a positive integer, got "soon"/],
    [{ DOUYIN_APPID: 'a', DOUYIN_SECRET: 'b', DOUYIN_API_BASE: 'ftp://x' }, /^DOUYIN_API_BASE must be an http\(s\) URL/],
    [{ DOUYIN_APPID: 'a,a', DOUYIN_SECRET: 'b,c' }, /^DOUYIN_APPID lists AppID a twice/],
  ])('refuses env, case %#', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })
})

describe('a backend without a WeChat mini-program', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!' }
  const transport = { apiBase: wx.apiBase, timeoutMs: wx.timeoutMs }

  it('resolves the targets given and no mp-weixin when wx names no app', () => {
    const resolved = resolveProviders({ 'mp-toutiao': { apps: [{ appId: 'tt1', secret: 'st' }] } }, transport, pluginSource())
    expect(Object.keys(resolved)).toEqual(['mp-toutiao'])
    // More mini-programs without `wx`: the first listed leads.
    const only = resolveProviders({ 'mp-weixin': { apps: [{ appId: 'wx-b', secret: 'sb' }] } }, transport, pluginSource())
    expect(only['mp-weixin']?.apps).toEqual([{ appId: 'wx-b', secret: 'sb' }])
  })

  it('refuses a backend nobody can log in to, naming every setting that would fix it', () => {
    refusedWith(undefined, transport)
    expect(() => loadConfig(production)).toThrow(
      /^No login target is configured; set the credentials of at least one: mp-weixin: WX_APPID and WX_SECRET .*h5-weixin: WX_H5_APPID and WX_H5_SECRET .*mp-alipay: ALIPAY_APPID, ALIPAY_PRIVATE_KEY and ALIPAY_PUBLIC_KEY .*mp-toutiao: DOUYIN_APPID and DOUYIN_SECRET/,
    )
  })

  it('starts in production with Douyin only, or Alipay only: no WX_APPID / WX_SECRET needed', () => {
    const douyin = loadConfig({ ...production, DOUYIN_APPID: 'tt1', DOUYIN_SECRET: 'st' })
    expect(Object.keys(douyin.auth.providers)).toEqual(['mp-toutiao'])
    expect(douyin.auth.wx.appId).toBeUndefined()
    expect(douyin.auth.wx.secret).toBeUndefined()
    const alipay = loadConfig({ ...production, ALIPAY_APPID: '2021', ALIPAY_PRIVATE_KEY: privatePem, ALIPAY_PUBLIC_KEY: publicPem })
    expect(Object.keys(alipay.auth.providers)).toEqual(['mp-alipay'])
  })

  it('keeps the mock mini-program in development, where `npm start` must work with no settings', () => {
    expect(loadConfig({}).auth.providers['mp-weixin']?.apps).toEqual([
      { appId: 'wx0000000000mock01', secret: 'mock-app-secret-not-for-production' },
    ])
  })

  it('reads several mini-programs from WX_APPID / WX_SECRET lists, the first being wx', () => {
    const config = loadConfig({ WX_APPID: 'wx-a, wx-b', WX_SECRET: 'sa,sb' })
    expect(config.auth.wx).toMatchObject({ appId: 'wx-a', secret: 'sa' })
    expect(config.auth.providers['mp-weixin']?.apps).toEqual([
      { appId: 'wx-a', secret: 'sa' },
      { appId: 'wx-b', secret: 'sb' },
    ])
    expect(() => loadConfig({ WX_APPID: 'wx-a' })).toThrow(/^WX_APPID set but WX_SECRET not/)
  })
})

function refusedWith(options: ProvidersOptions | undefined, defaults: { apiBase: string; timeoutMs: number }): void {
  expect(() => resolveProviders(options, defaults, pluginSource())).toThrow(
    new ConfigError(
      'uniMpAuth: No login target is configured; set the credentials of at least one: ' +
        "mp-weixin: WX_APPID and WX_SECRET (plugin option wx or providers['mp-weixin']); " +
        "h5-weixin: WX_H5_APPID and WX_H5_SECRET (plugin option providers['h5-weixin']); " +
        "web-weixin: WX_WEB_APPID and WX_WEB_SECRET (plugin option providers['web-weixin']); " +
        "app-weixin: WX_APP_APPID and WX_APP_SECRET (plugin option providers['app-weixin']); " +
        "mp-alipay: ALIPAY_APPID, ALIPAY_PRIVATE_KEY and ALIPAY_PUBLIC_KEY (plugin option providers['mp-alipay']); " +
        "mp-toutiao: DOUYIN_APPID and DOUYIN_SECRET (plugin option providers['mp-toutiao']); " +
        "mp-qq: QQ_APPID and QQ_SECRET (plugin option providers['mp-qq'])",
    ),
  )
}
