import { readFileSync } from 'node:fs'
import { ConfigError } from './config-error.js'
import { DEFAULTS } from './defaults.js'
import { providersFromEnv } from './providers/env.js'
import type { ProvidersOptions } from './providers/options.js'
import type { JwtOptions, RateLimitOptions, TokenEndpoint, WechatOptions } from './options.js'

export { ConfigError } from './config-error.js'
export type { TokenEndpoint } from './options.js'

/** Limits of the HTTP server itself (Node's http module, via fastify). */
export interface ServerTimeouts {
  /** Whole request (headers and body) must arrive within this. @default 20000 */
  requestMs: number
  /** Headers must arrive within this; at most `requestMs`. @default 10000 */
  headersMs: number
  /** A socket with no traffic either way is closed after this. @default 60000 */
  connectionMs: number
  /** An idle keep-alive connection is closed after this. @default 72000 */
  keepAliveMs: number
  /** How often Node checks the two timeouts above: a slow client is cut within timeout + this. @default 5000 */
  checkIntervalMs: number
}

/**
 * `TRUST_PROXY`: fastify's `trustProxy`, so `request.ip` (and the rate limits) see the client, not
 * the proxy: `true` trusts any forwarder, a list trusts those addresses / CIDR ranges.
 */
export type TrustProxy = boolean | string[]

export interface AppConfig {
  wx: WechatOptions
  /** The other login targets: `WX_H5_*`, `WX_WEB_*`, `WX_APP_*`, `ALIPAY_*`, `DOUYIN_*`. */
  providers: ProvidersOptions
  jwt: JwtOptions
  /** @default 2592000 (30 days) */
  refreshTtlSeconds: number
  /**
   * Where what must not be lost lives: `sqlite:<path>` or `sqlite::memory:` (one machine),
   * `postgres://…` / `postgresql://…` (several instances). @default 'sqlite:./data/auth.db'
   */
  storeUrl: string
  /**
   * `redis://…` / `rediss://…` for what may be lost, shared between instances: rate-limit counters
   * and the WeChat access_token cache. @default undefined (counters in memory per instance, the
   * access_token in the SQL store)
   */
  redisUrl: string | undefined
  /**
   * How long an instance may answer a user lookup (`GET /me`, every authenticated route) from
   * memory; a change made through another instance shows after at most this. 0 = always ask the
   * database. @default 1000
   */
  userCacheTtlMs: number
  /** @default '127.0.0.1' */
  host: string
  /** @default 8787 */
  port: number
  /** Allowed browser origins; `undefined` = localhost/127.0.0.1 on any port outside production. */
  corsOrigins: string[] | undefined
  /** @default false */
  trustProxy: TrustProxy
  /** Registers POST /dev/expire-tokens. Never on in production. @default false */
  devEndpoints: boolean
  production: boolean
  /** Largest accepted JSON body in bytes. @default 16384 */
  bodyLimit: number
  /** @default 4194304 */
  drainLimitBytes: number
  timeouts: ServerTimeouts
  rateLimit: RateLimitOptions
  /** @default 'info' */
  logLevel: string
}

/** Development defaults: they match the mock WeChat's defaults so `npm start` works out of the box. */
export const DEV_DEFAULTS = {
  appId: 'wx0000000000mock01',
  secret: 'mock-app-secret-not-for-production',
  jwtSecret: 'dev-only-jwt-secret-change-me-0123456789',
} as const

type Env = Record<string, string | undefined>

function intFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`)
  return value
}

function jwtSecretFrom(env: Env): string | undefined {
  // A file keeps the secret out of `ps` output and process listings (Docker/K8s secrets).
  if (env.JWT_SECRET_FILE) return readFileSync(env.JWT_SECRET_FILE, 'utf8').trim()
  return env.JWT_SECRET || undefined
}

function trustProxyFrom(raw: string | undefined): TrustProxy {
  if (raw === undefined || raw === '' || raw === 'false') return false
  if (raw === 'true') return true
  return raw
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean)
}

function timeoutsFrom(env: Env): ServerTimeouts {
  const timeouts: ServerTimeouts = {
    requestMs: intFrom(env, 'REQUEST_TIMEOUT_MS', DEFAULTS.timeouts.requestMs),
    headersMs: intFrom(env, 'HEADERS_TIMEOUT_MS', DEFAULTS.timeouts.headersMs),
    connectionMs: intFrom(env, 'CONNECTION_TIMEOUT_MS', DEFAULTS.timeouts.connectionMs),
    keepAliveMs: intFrom(env, 'KEEP_ALIVE_TIMEOUT_MS', DEFAULTS.timeouts.keepAliveMs),
    checkIntervalMs: intFrom(env, 'TIMEOUT_CHECK_INTERVAL_MS', DEFAULTS.timeouts.checkIntervalMs),
  }
  // Node only cuts a slow body when the headers timeout is not longer than the request timeout.
  if (timeouts.headersMs > timeouts.requestMs) {
    throw new ConfigError(`HEADERS_TIMEOUT_MS (${timeouts.headersMs}) must not exceed REQUEST_TIMEOUT_MS (${timeouts.requestMs})`)
  }
  return timeouts
}

function rateLimitFrom(env: Env): RateLimitOptions {
  const { loginFailures, refresh, phone, loginConcurrency } = DEFAULTS.rateLimit
  return {
    loginFailures: { ...loginFailures, max: intFrom(env, 'RATE_LIMIT_LOGIN_FAILURES', loginFailures.max) },
    loginConcurrency: intFrom(env, 'RATE_LIMIT_LOGIN_CONCURRENCY', loginConcurrency),
    refresh: { ...refresh, max: intFrom(env, 'RATE_LIMIT_REFRESH', refresh.max) },
    phone: { ...phone, max: intFrom(env, 'RATE_LIMIT_PHONE', phone.max) },
  }
}

function redisUrlFrom(env: Env): string | undefined {
  const url = env.REDIS_URL
  if (url === undefined || url === '') return undefined
  if (!/^rediss?:\/\//.test(url)) throw new ConfigError('REDIS_URL must start with "redis://" or "rediss://"')
  return url
}

export function loadConfig(env: Env = process.env): AppConfig {
  const production = env.NODE_ENV === 'production'
  const tokenEndpoint = (env.WX_TOKEN_ENDPOINT ?? DEFAULTS.wx.tokenEndpoint) as TokenEndpoint
  if (tokenEndpoint !== 'stable' && tokenEndpoint !== 'legacy') {
    throw new ConfigError(`WX_TOKEN_ENDPOINT must be "stable" or "legacy", got "${env.WX_TOKEN_ENDPOINT}"`)
  }
  const config: AppConfig = {
    wx: {
      appId: env.WX_APPID || DEV_DEFAULTS.appId,
      secret: env.WX_SECRET || DEV_DEFAULTS.secret,
      apiBase: (env.WX_API_BASE || DEFAULTS.wx.apiBase).replace(/\/+$/, ''),
      tokenEndpoint,
      timeoutMs: intFrom(env, 'WX_TIMEOUT_MS', DEFAULTS.wx.timeoutMs),
    },
    providers: providersFromEnv(env),
    jwt: {
      secret: jwtSecretFrom(env) ?? DEV_DEFAULTS.jwtSecret,
      issuer: env.JWT_ISSUER || DEFAULTS.jwt.issuer,
      audience: env.JWT_AUDIENCE || DEFAULTS.jwt.audience,
      ttlSeconds: intFrom(env, 'TOKEN_TTL_SECONDS', DEFAULTS.jwt.ttlSeconds),
    },
    refreshTtlSeconds: intFrom(env, 'REFRESH_TTL_SECONDS', DEFAULTS.refreshTtlSeconds),
    storeUrl: env.STORE_URL || 'sqlite:./data/auth.db',
    redisUrl: redisUrlFrom(env),
    userCacheTtlMs: env.USER_CACHE_TTL_MS === '0' ? 0 : intFrom(env, 'USER_CACHE_TTL_MS', 1000),
    host: env.HOST || '127.0.0.1',
    port: intFrom(env, 'PORT', 8787),
    corsOrigins: env.CORS_ORIGIN
      ? env.CORS_ORIGIN.split(',')
          .map((o) => o.trim())
          .filter(Boolean)
      : undefined,
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    devEndpoints: env.AUTH_DEV_ENDPOINTS === '1',
    production,
    bodyLimit: intFrom(env, 'BODY_LIMIT_BYTES', DEFAULTS.bodyLimit),
    drainLimitBytes: intFrom(env, 'DRAIN_LIMIT_BYTES', DEFAULTS.drainLimitBytes),
    timeouts: timeoutsFrom(env),
    rateLimit: rateLimitFrom(env),
    logLevel: env.LOG_LEVEL || 'info',
  }
  assertSafeConfig(config)
  return config
}

/** Refuses configurations that would run production with development secrets or switches. */
export function assertSafeConfig(config: AppConfig): void {
  if (!config.production) return
  const problems: string[] = []
  if (config.wx.appId === DEV_DEFAULTS.appId) problems.push('WX_APPID is the development default')
  if (config.wx.secret === DEV_DEFAULTS.secret) problems.push('WX_SECRET is the development default')
  if (config.jwt.secret === DEV_DEFAULTS.jwtSecret) problems.push('JWT_SECRET is the development default')
  // HS256 wants at least 256 bits of key; shorter secrets are brute-forceable offline from any token.
  if (Buffer.byteLength(config.jwt.secret) < 32) problems.push('JWT_SECRET must be at least 32 bytes')
  if (config.devEndpoints) problems.push('AUTH_DEV_ENDPOINTS=1 is not allowed in production')
  if (problems.length > 0) {
    throw new ConfigError(`Refusing to start in production: ${problems.join('; ')}`)
  }
}
