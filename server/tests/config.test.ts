import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'
import { parseStoreUrl } from '../src/store/create-store.js'

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
      host: '127.0.0.1',
      port: 8787,
      storeUrl: 'sqlite:./data/auth.db',
      jwt: { ttlSeconds: 7200 },
      wx: { apiBase: 'https://api.weixin.qq.com', tokenEndpoint: 'stable' },
      devEndpoints: false,
    })
  })

  it('accepts a complete production configuration', () => {
    expect(loadConfig(productionEnv).corsOrigins).toEqual(['https://app.example.com'])
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
    expect(loadConfig({ JWT_SECRET_FILE: file }).jwt.secret).toBe('secret-from-a-file-0123456789-abcdef')
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
    expect(config.timeouts).toMatchObject({ requestMs: 9000, headersMs: 4000, checkIntervalMs: 5000 })
    expect(config.rateLimit).toMatchObject({ loginFailures: { max: 7, windowSeconds: 300 }, refresh: { max: 50, windowSeconds: 60 } })
    expect(config.trustProxy).toEqual(['10.0.0.0/8', '192.168.1.1'])
    expect(config.redisUrl).toBe('redis://cache:6379')
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true)
    expect(loadConfig({}).trustProxy).toBe(false)
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
    expect(loadConfig({}).userCacheTtlMs).toBe(1000)
    expect(loadConfig({ USER_CACHE_TTL_MS: '0' }).userCacheTtlMs).toBe(0)
    expect(loadConfig({ USER_CACHE_TTL_MS: '250' }).userCacheTtlMs).toBe(250)
    expect(() => loadConfig({ USER_CACHE_TTL_MS: '-1' })).toThrow(ConfigError)
  })

  it('reads the store and the optional Redis URL', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined()
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).redisUrl).toBe('redis://127.0.0.1:6379/2')
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
})
