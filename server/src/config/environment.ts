import { readFileSync } from 'node:fs'
import { SERVER_DEFAULTS } from '../base/defaults.js'
import { ConfigError } from '../base/errors.js'
import type { AuthSettings, ResolvedAppConfig, ServerOptions, TokenEndpoint, TrustProxy } from './options.js'
import type { SecretAppOptions } from '../providers/options.js'
import { miniProgramTarget, providerEnvName, providersFrom } from './provider-environment.js'
import { type ConfigSource, resolveAppConfig } from './resolve-options.js'

// The standalone server's environment variables, by the option path they set: errors name the variable.
const ENV_NAMES: Record<string, string> = {
  'wx.appId': 'WX_APPID',
  'wx.secret': 'WX_SECRET',
  'wx.apiBase': 'WX_API_BASE',
  'wx.tokenEndpoint': 'WX_TOKEN_ENDPOINT',
  'wx.timeoutMs': 'WX_TIMEOUT_MS',
  'jwt.secret': 'JWT_SECRET',
  'jwt.issuer': 'JWT_ISSUER',
  'jwt.audience': 'JWT_AUDIENCE',
  'jwt.ttlSeconds': 'TOKEN_TTL_SECONDS',
  refreshTtlSeconds: 'REFRESH_TTL_SECONDS',
  refreshGraceSeconds: 'REFRESH_GRACE_SECONDS',
  'rateLimit.loginFailures.max': 'RATE_LIMIT_LOGIN_FAILURES',
  'rateLimit.loginConcurrency': 'RATE_LIMIT_LOGIN_CONCURRENCY',
  'rateLimit.refresh.max': 'RATE_LIMIT_REFRESH',
  'rateLimit.phone.max': 'RATE_LIMIT_PHONE',
  drainLimitBytes: 'DRAIN_LIMIT_BYTES',
  devEndpoints: 'AUTH_DEV_ENDPOINTS',
  host: 'HOST',
  port: 'PORT',
  bodyLimit: 'BODY_LIMIT_BYTES',
  'timeouts.requestMs': 'REQUEST_TIMEOUT_MS',
  'timeouts.headersMs': 'HEADERS_TIMEOUT_MS',
  'timeouts.connectionMs': 'CONNECTION_TIMEOUT_MS',
  'timeouts.keepAliveMs': 'KEEP_ALIVE_TIMEOUT_MS',
  'timeouts.checkIntervalMs': 'TIMEOUT_CHECK_INTERVAL_MS',
  logLevel: 'LOG_LEVEL',
  storeUrl: 'STORE_URL',
  redisUrl: 'REDIS_URL',
  userCacheTtlMs: 'USER_CACHE_TTL_MS',
}

type Env = Record<string, string | undefined>

/** A number, or the raw text when it is none: `resolveAppConfig` refuses it then, naming the variable. */
function numberFrom(env: Env, name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  return Number.isNaN(value) ? (raw as unknown as number) : value
}

function listFrom(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

function trustProxyFrom(raw: string | undefined): TrustProxy {
  if (raw === undefined || raw === '' || raw === 'false') return false
  if (raw === 'true') return true
  return listFrom(raw)
}

function jwtSecretFrom(env: Env): string | undefined {
  // A file keeps the secret out of `ps` output and process listings (Docker/K8s secrets).
  if (env.JWT_SECRET_FILE) return readFileSync(env.JWT_SECRET_FILE, 'utf8').trim()
  return env.JWT_SECRET || undefined
}

/**
 * `WX_APPID` / `WX_SECRET`: the mini-program of `wx` (the first pair) and more mini-programs
 * (`WX_APPID=a,b`); in development, with neither set, the mock's app, so `npm start` works out of
 * the box. In production neither set means no WeChat mini-program (a backend for other targets).
 */
function miniPrograms(env: Env, production: boolean): { wx: { appId?: string; secret?: string }; more: SecretAppOptions[] } {
  const target = miniProgramTarget(env)
  if (target) {
    const [first, ...more] = target.apps
    return { wx: { appId: first?.appId, secret: first?.secret }, more }
  }
  const development = SERVER_DEFAULTS.development
  return { wx: production ? {} : { appId: development.appId, secret: development.secret }, more: [] }
}

/** The plugin's settings as the environment gives them; unset values take the development defaults. */
function authSettingsFrom(env: Env, production: boolean): AuthSettings {
  const development = SERVER_DEFAULTS.development
  const { wx, more } = miniPrograms(env, production)
  const providers = providersFrom(env)
  return {
    wx: {
      ...wx,
      apiBase: env.WX_API_BASE || undefined,
      tokenEndpoint: env.WX_TOKEN_ENDPOINT as TokenEndpoint | undefined,
      timeoutMs: numberFrom(env, 'WX_TIMEOUT_MS'),
    },
    providers: more.length > 0 ? { ...providers, 'mp-weixin': { apps: more } } : providers,
    jwt: {
      secret: jwtSecretFrom(env) ?? development.jwtSecret,
      issuer: env.JWT_ISSUER || undefined,
      audience: env.JWT_AUDIENCE || undefined,
      ttlSeconds: numberFrom(env, 'TOKEN_TTL_SECONDS'),
    },
    refreshTtlSeconds: numberFrom(env, 'REFRESH_TTL_SECONDS'),
    refreshGraceSeconds: numberFrom(env, 'REFRESH_GRACE_SECONDS'),
    rateLimit: {
      loginFailures: { max: numberFrom(env, 'RATE_LIMIT_LOGIN_FAILURES') },
      loginConcurrency: numberFrom(env, 'RATE_LIMIT_LOGIN_CONCURRENCY'),
      refresh: { max: numberFrom(env, 'RATE_LIMIT_REFRESH') },
      phone: { max: numberFrom(env, 'RATE_LIMIT_PHONE') },
    },
    drainLimitBytes: numberFrom(env, 'DRAIN_LIMIT_BYTES'),
    devEndpoints: env.AUTH_DEV_ENDPOINTS === '1',
  }
}

function serverOptionsFrom(env: Env, production: boolean): ServerOptions {
  return {
    host: env.HOST,
    port: numberFrom(env, 'PORT'),
    corsOrigins: env.CORS_ORIGIN ? listFrom(env.CORS_ORIGIN) : undefined,
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    bodyLimit: numberFrom(env, 'BODY_LIMIT_BYTES'),
    timeouts: {
      requestMs: numberFrom(env, 'REQUEST_TIMEOUT_MS'),
      headersMs: numberFrom(env, 'HEADERS_TIMEOUT_MS'),
      connectionMs: numberFrom(env, 'CONNECTION_TIMEOUT_MS'),
      keepAliveMs: numberFrom(env, 'KEEP_ALIVE_TIMEOUT_MS'),
      checkIntervalMs: numberFrom(env, 'TIMEOUT_CHECK_INTERVAL_MS'),
    },
    logLevel: env.LOG_LEVEL,
    storeUrl: env.STORE_URL,
    redisUrl: env.REDIS_URL,
    userCacheTtlMs: numberFrom(env, 'USER_CACHE_TTL_MS'),
    production,
  }
}

/** Production must not run on the development values filled in above. */
function refuseDevelopmentValues(settings: AuthSettings): void {
  const development = SERVER_DEFAULTS.development
  const problems: string[] = []
  if (settings.wx?.appId === development.appId) problems.push('WX_APPID is the development default')
  if (settings.wx?.secret === development.secret) problems.push('WX_SECRET is the development default')
  if (settings.jwt.secret === development.jwtSecret) problems.push('JWT_SECRET is the development default')
  if (problems.length > 0) throw new ConfigError(`Refusing to start in production: ${problems.join('; ')}`)
}

/**
 * The standalone server's configuration from environment variables (see server/README.md,
 * "Configuration"): the plugin's settings and the server's own, resolved and checked.
 */
export function loadConfig(env: Env = process.env): ResolvedAppConfig {
  const production = env.NODE_ENV === 'production'
  const auth = authSettingsFrom(env, production)
  if (production) refuseDevelopmentValues(auth)
  const source: ConfigSource = { prefix: '', name: (path) => ENV_NAMES[path] ?? providerEnvName(path) ?? path, production }
  return resolveAppConfig({ auth, server: serverOptionsFrom(env, production) }, source)
}
