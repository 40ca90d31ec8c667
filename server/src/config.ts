import { readFileSync } from 'node:fs'

export type TokenEndpoint = 'stable' | 'legacy'

export interface AppConfig {
  wx: {
    appId: string
    secret: string
    /** @default 'https://api.weixin.qq.com' */
    apiBase: string
    /** `stable` = POST /cgi-bin/stable_token (preferred), `legacy` = GET /cgi-bin/token. @default 'stable' */
    tokenEndpoint: TokenEndpoint
    /** Upper bound for one WeChat call. @default 5000 */
    timeoutMs: number
  }
  jwt: {
    secret: string
    /** @default 'uni-mp-auth' */
    issuer: string
    /** @default 'uni-mp-auth-client' */
    audience: string
    /** @default 7200 */
    ttlSeconds: number
  }
  /** @default 2592000 (30 days) */
  refreshTtlSeconds: number
  /** `sqlite:<path>`, `sqlite::memory:` or `redis://…`. @default 'sqlite:./data/auth.db' */
  storeUrl: string
  /** @default '127.0.0.1' */
  host: string
  /** @default 8787 */
  port: number
  /** Allowed browser origins; `undefined` = localhost/127.0.0.1 on any port outside production. */
  corsOrigins: string[] | undefined
  /** Registers POST /dev/expire-tokens. Never on in production. @default false */
  devEndpoints: boolean
  production: boolean
  /** Largest accepted request body in bytes. @default 16384 */
  bodyLimit: number
  /** @default 'info' */
  logLevel: string
}

/** Development defaults: they match the mock WeChat's defaults so `npm start` works out of the box. */
export const DEV_DEFAULTS = {
  appId: 'wx0000000000mock01',
  secret: 'mock-app-secret-not-for-production',
  jwtSecret: 'dev-only-jwt-secret-change-me-0123456789',
} as const

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

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

export function loadConfig(env: Env = process.env): AppConfig {
  const production = env.NODE_ENV === 'production'
  const tokenEndpoint = (env.WX_TOKEN_ENDPOINT ?? 'stable') as TokenEndpoint
  if (tokenEndpoint !== 'stable' && tokenEndpoint !== 'legacy') {
    throw new ConfigError(`WX_TOKEN_ENDPOINT must be "stable" or "legacy", got "${env.WX_TOKEN_ENDPOINT}"`)
  }
  const config: AppConfig = {
    wx: {
      appId: env.WX_APPID || DEV_DEFAULTS.appId,
      secret: env.WX_SECRET || DEV_DEFAULTS.secret,
      apiBase: (env.WX_API_BASE || 'https://api.weixin.qq.com').replace(/\/+$/, ''),
      tokenEndpoint,
      timeoutMs: intFrom(env, 'WX_TIMEOUT_MS', 5000),
    },
    jwt: {
      secret: jwtSecretFrom(env) ?? DEV_DEFAULTS.jwtSecret,
      issuer: env.JWT_ISSUER || 'uni-mp-auth',
      audience: env.JWT_AUDIENCE || 'uni-mp-auth-client',
      ttlSeconds: intFrom(env, 'TOKEN_TTL_SECONDS', 7200),
    },
    refreshTtlSeconds: intFrom(env, 'REFRESH_TTL_SECONDS', 30 * 24 * 3600),
    storeUrl: env.STORE_URL || 'sqlite:./data/auth.db',
    host: env.HOST || '127.0.0.1',
    port: intFrom(env, 'PORT', 8787),
    corsOrigins: env.CORS_ORIGIN
      ? env.CORS_ORIGIN.split(',')
          .map((o) => o.trim())
          .filter(Boolean)
      : undefined,
    devEndpoints: env.AUTH_DEV_ENDPOINTS === '1',
    production,
    bodyLimit: intFrom(env, 'BODY_LIMIT_BYTES', 16 * 1024),
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
