import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/base/errors.js'
import { SERVER_DEFAULTS } from '../../src/base/defaults.js'
import { loadConfig } from '../../src/config/environment.js'
import { pluginSource, resolveOptions, resolveServerOptions } from '../../src/config/resolve-options.js'
import type { AuthStore } from '../../src/store/types.js'
import { parseStoreUrl } from '../../src/store/create-store.js'

const productionEnv = {
  NODE_ENV: 'production',
  WX_APPID: 'wxrealappid0000001',
  WX_SECRET: 'real-secret-from-the-console-0123',
  JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!',
  CORS_ORIGIN: 'https://app.example.com',
}

describe('loadConfig', () => {
  it('has working development defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      server: { host: '127.0.0.1', port: 8787, storeUrl: 'sqlite:./data/auth.db' },
      auth: {
        jwt: { ttlSeconds: 7200 },
        wx: { apiBase: 'https://api.weixin.qq.com', tokenEndpoint: 'stable' },
        devEndpoints: false,
      },
    })
  })

  it('accepts a complete production configuration', () => {
    expect(loadConfig(productionEnv).server.corsOrigins).toEqual(['https://app.example.com'])
  })

  it.each([
    ['default WX_SECRET', { WX_SECRET: '' }],
    ['default WX_APPID', { WX_APPID: '' }],
    ['default JWT_SECRET', { JWT_SECRET: '' }],
    ['short JWT_SECRET', { JWT_SECRET: 'short' }],
    ['dev endpoints', { AUTH_DEV_ENDPOINTS: '1' }],
  ])('refuses production with %s', (_name, override) => {
    expect(() => loadConfig({ ...productionEnv, ...override })).toThrow(ConfigError)
  })

  it('reads JWT_SECRET_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'uma-cfg-')), 'jwt')
    writeFileSync(file, 'secret-from-a-file-0123456789-abcdef\n')
    expect(loadConfig({ JWT_SECRET_FILE: file }).auth.jwt.secret).toBe('secret-from-a-file-0123456789-abcdef')
  })

  it('reads the edge settings: timeouts, rate limits, trusted proxies, Redis', () => {
    const config = loadConfig({
      REQUEST_TIMEOUT_MS: '9000',
      HEADERS_TIMEOUT_MS: '4000',
      RATE_LIMIT_LOGIN_FAILURES: '7',
      RATE_LIMIT_REFRESH: '50',
      TRUST_PROXY: '10.0.0.0/8, 192.168.1.1',
      REDIS_URL: 'redis://cache:6379',
    })
    expect(config.server.timeouts).toMatchObject({ requestMs: 9000, headersMs: 4000, checkIntervalMs: 5000 })
    expect(config.auth.rateLimit).toMatchObject({ loginFailures: { max: 7, windowSeconds: 300 }, refresh: { max: 50, windowSeconds: 60 } })
    expect(config.server.trustProxy).toEqual(['10.0.0.0/8', '192.168.1.1'])
    expect(config.server.redisUrl).toBe('redis://cache:6379')
    expect(loadConfig({ TRUST_PROXY: 'true' }).server.trustProxy).toBe(true)
    expect(loadConfig({}).server.trustProxy).toBe(false)
  })

  it('refuses a headers timeout longer than the request timeout (Node would not cut slow bodies)', () => {
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '2000' })).toThrow(/HEADERS_TIMEOUT_MS/)
  })

  it('rejects malformed numbers and store URLs', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError)
    expect(() => loadConfig({ TOKEN_TTL_SECONDS: '-5' })).toThrow(ConfigError)
    // The message names the scheme only: the rest of a URL may carry a password.
    expect(() => parseStoreUrl('mysql://user:secret@db/auth')).toThrow(
      new ConfigError('STORE_URL must start with "sqlite:", "postgres://" or "postgresql://", got "mysql:…"'),
    )
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(ConfigError)
  })

  it('reads the user cache TTL; 0 turns the cache off', () => {
    expect(loadConfig({}).server.userCacheTtlMs).toBe(1000)
    expect(loadConfig({ USER_CACHE_TTL_MS: '0' }).server.userCacheTtlMs).toBe(0)
    expect(loadConfig({ USER_CACHE_TTL_MS: '250' }).server.userCacheTtlMs).toBe(250)
    expect(() => loadConfig({ USER_CACHE_TTL_MS: '-1' })).toThrow(ConfigError)
  })

  it('reads the store and the optional Redis URL', () => {
    expect(loadConfig({}).server.redisUrl).toBeUndefined()
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).server.redisUrl).toBe('redis://127.0.0.1:6379/2')
    expect(parseStoreUrl('sqlite:./data/auth.db')).toEqual({ engine: 'sqlite', filename: './data/auth.db' })
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ engine: 'sqlite', filename: ':memory:' })
    expect(parseStoreUrl('postgresql://u@db/auth')).toEqual({ engine: 'postgres', connectionString: 'postgresql://u@db/auth' })
    expect(parseStoreUrl('postgres://u@db/auth').engine).toBe('postgres')
  })

  it('refuses Redis as the account store and says what to use instead', () => {
    expect(() => parseStoreUrl('redis://127.0.0.1:6379')).toThrow(ConfigError)
    expect(() => parseStoreUrl('rediss://cache:6380')).toThrow(/REDIS_URL=redis:.*access_token cache/)
    expect(() => parseStoreUrl('redis://127.0.0.1:6379')).toThrow(/STORE_URL=postgres:/)
  })

  it('names the environment variable to fix', () => {
    expect(() => loadConfig({ TOKEN_TTL_SECONDS: '-5' })).toThrow(new ConfigError('TOKEN_TTL_SECONDS must be a positive integer, got -5'))
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(new ConfigError('PORT must be a positive integer, got "eighty"'))
    expect(() => loadConfig({ RATE_LIMIT_PHONE: '2.5' })).toThrow(/^RATE_LIMIT_PHONE must be a positive integer, got 2\.5$/)
    expect(() => loadConfig({ USER_CACHE_TTL_MS: '-1' })).toThrow(/^USER_CACHE_TTL_MS must be 0 or a positive integer/)
    expect(() => loadConfig({ WX_TOKEN_ENDPOINT: 'fast' })).toThrow(/^WX_TOKEN_ENDPOINT must be "stable" or "legacy", got "fast"/)
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/^JWT_SECRET must be at least 32 bytes/)
    expect(() => loadConfig({ ...productionEnv, AUTH_DEV_ENDPOINTS: '1' })).toThrow(
      /^AUTH_DEV_ENDPOINTS lets anyone expire tokens and is refused when NODE_ENV is production$/,
    )
    expect(() => loadConfig({ ...productionEnv, WX_SECRET: '' })).toThrow(
      new ConfigError('WX_APPID set but WX_SECRET not: set all of WX_APPID, WX_SECRET to enable mp-weixin, or none to leave it off'),
    )
    expect(() => loadConfig({ ...productionEnv, WX_SECRET: SERVER_DEFAULTS.development.secret })).toThrow(
      new ConfigError('Refusing to start in production: WX_SECRET is the development default'),
    )
  })
})

describe('one configuration path', () => {
  const store = {
    claimCode() {},
    loginWithIdentity() {},
    linkIdentity() {},
    saveRefreshToken() {},
    rotateRefreshToken() {},
    revokeFamily() {},
    ping() {},
  }

  it('the environment and the plugin options resolve to the same settings, from the same defaults', () => {
    const { auth } = loadConfig({})
    const development = SERVER_DEFAULTS.development
    const {
      store: _store,
      redis,
      prefix,
      now,
      ...fromOptions
    } = resolveOptions({
      wx: { appId: development.appId, secret: development.secret },
      jwt: { secret: development.jwtSecret },
      store: store as unknown as AuthStore,
    })
    expect(fromOptions).toEqual(auth)
    expect({ redis, prefix, now: typeof now }).toEqual({ redis: null, prefix: '', now: 'function' })
    expect(auth.rateLimit.refresh).toEqual(SERVER_DEFAULTS.rateLimit.refresh)
  })

  it('resolving twice changes nothing (buildApp resolves what loadConfig resolved)', () => {
    const { server } = loadConfig({ PORT: '9000', CORS_ORIGIN: 'https://a.example', TRUST_PROXY: 'true' })
    expect(resolveServerOptions(server)).toEqual(server)
  })

  it('names the option to fix when the values come from code', () => {
    expect(() => resolveServerOptions({ timeouts: { requestMs: 1000, headersMs: 2000 } }, pluginSource('buildApp: '))).toThrow(
      new ConfigError('buildApp: timeouts.headersMs (2000) must not exceed timeouts.requestMs (1000)'),
    )
    expect(() => resolveServerOptions({ redisUrl: 'localhost:6379' })).toThrow(/^uniMpAuth: redisUrl must start with "redis:\/\/"/)
    expect(() => resolveServerOptions({ userCacheTtlMs: -1 })).toThrow(/userCacheTtlMs must be 0 or a positive integer, got -1/)
    expect(resolveServerOptions({ userCacheTtlMs: 0 }).userCacheTtlMs).toBe(0)
  })
})
