import type { Redis } from 'ioredis'
import type { Clock } from './clock.js'
import { ConfigError } from './config-error.js'
import { DEFAULTS } from './defaults.js'
import { type ProvidersOptions, type ResolvedProviders, resolveProviders } from './providers/options.js'
import type { AuthStore } from './store/types.js'

export type TokenEndpoint = 'stable' | 'legacy'

/** At most `max` events per `windowSeconds`. */
export interface RateLimitRule {
  max: number
  windowSeconds: number
}

export interface RateLimitOptions {
  /** Login codes WeChat rejects, per client address, before that address gets 429. @default { max: 20, windowSeconds: 600 } */
  loginFailures: RateLimitRule
  /** code2Session calls in flight per client address on one instance; later logins wait their turn. @default 8 */
  loginConcurrency: number
  /** POST /auth/refresh per client address. @default { max: 300, windowSeconds: 60 } */
  refresh: RateLimitRule
  /** POST /auth/phone per user. @default { max: 10, windowSeconds: 600 } */
  phone: RateLimitRule
}

export interface WechatOptions {
  appId: string
  secret: string
  /** @default 'https://api.weixin.qq.com' */
  apiBase: string
  /** `stable` = POST /cgi-bin/stable_token (preferred), `legacy` = GET /cgi-bin/token. @default 'stable' */
  tokenEndpoint: TokenEndpoint
  /** Upper bound for one WeChat call. @default 5000 */
  timeoutMs: number
}

export interface JwtOptions {
  /** HS256 key, at least 32 bytes. */
  secret: string
  /** @default 'uni-mp-auth' */
  issuer: string
  /** @default 'uni-mp-auth-client' */
  audience: string
  /** Access token lifetime. @default 7200 */
  ttlSeconds: number
}

/** What a team passes to `app.register(uniMpAuth, options)`. */
export interface UniMpAuthOptions {
  wx: Pick<WechatOptions, 'appId' | 'secret'> & Partial<WechatOptions>
  jwt: Pick<JwtOptions, 'secret'> & Partial<JwtOptions>
  /**
   * Login targets besides the `wx` mini-program, keyed by uni-app's platform name: H5 inside
   * WeChat, website, App, Alipay and Douyin mini-programs, each with one or more apps. A login
   * naming a target that is not here is refused with PLATFORM_NOT_CONFIGURED. @default {}
   */
  providers?: ProvidersOptions
  /** Where users, refresh tokens and code claims live; the caller opens and closes it. */
  store: AuthStore
  /** Shares rate-limit counters between instances; without it each instance counts on its own. @default null */
  redis?: Redis | null
  /** @default 2592000 (30 days) */
  refreshTtlSeconds?: number
  rateLimit?: {
    loginFailures?: Partial<RateLimitRule>
    loginConcurrency?: number
    refresh?: Partial<RateLimitRule>
    phone?: Partial<RateLimitRule>
  }
  /** Largest avatar file accepted by POST /me/avatar. @default 2097152 (2 MiB) */
  avatarMaxBytes?: number
  /**
   * How much of a refused request's unread body is read and discarded before answering, so the
   * client, still sending, sees the answer instead of a reset connection. @default 4194304 (4 MiB)
   */
  drainLimitBytes?: number
  /** Registers POST /dev/expire-tokens. Refused when `NODE_ENV` is `production`. @default false */
  devEndpoints?: boolean
  /** Route prefix, e.g. `/api`. */
  prefix?: string
  /** @default Date.now */
  now?: Clock
}

/** The options with every default filled in. */
export interface AuthConfig {
  wx: WechatOptions
  jwt: JwtOptions
  /** Every configured login target; `mp-weixin` always, its first app being `wx`. */
  providers: ResolvedProviders
  refreshTtlSeconds: number
  rateLimit: RateLimitOptions
  avatarMaxBytes: number
  drainLimitBytes: number
  devEndpoints: boolean
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`uniMpAuth: ${name} must be a positive integer, got ${value}`)
  return value
}

function rule(given: Partial<RateLimitRule> | undefined, fallback: RateLimitRule, name: string): RateLimitRule {
  return {
    max: positiveInteger(given?.max ?? fallback.max, `rateLimit.${name}.max`),
    windowSeconds: positiveInteger(given?.windowSeconds ?? fallback.windowSeconds, `rateLimit.${name}.windowSeconds`),
  }
}

const STORE_METHODS = ['claimCode', 'upsertUser', 'saveRefreshToken', 'consumeRefreshToken', 'revokeFamily', 'ping'] as const

/** Fills in defaults and refuses options that cannot work, saying how to fix them. */
export function resolveOptions(options: UniMpAuthOptions): AuthConfig {
  if (!options?.wx?.appId || !options.wx.secret) {
    throw new ConfigError('uniMpAuth: wx.appId and wx.secret are required (the mini-program AppID and AppSecret)')
  }
  // HS256 wants at least 256 bits of key; shorter secrets are brute-forceable offline from any token.
  if (!options.jwt?.secret || Buffer.byteLength(options.jwt.secret) < 32) {
    throw new ConfigError('uniMpAuth: jwt.secret must be at least 32 bytes (e.g. `openssl rand -base64 48`)')
  }
  if (typeof (options.store as { then?: unknown } | undefined)?.then === 'function') {
    throw new ConfigError('uniMpAuth: store is a Promise; createStore() opens the database asynchronously: `store: await createStore(url)`')
  }
  const missing = STORE_METHODS.filter((method) => typeof options.store?.[method] !== 'function')
  if (missing.length > 0) {
    throw new ConfigError(`uniMpAuth: store must implement AuthStore (missing ${missing.join(', ')}); see createStore()`)
  }
  const tokenEndpoint = options.wx.tokenEndpoint ?? DEFAULTS.wx.tokenEndpoint
  if (tokenEndpoint !== 'stable' && tokenEndpoint !== 'legacy') {
    throw new ConfigError(`uniMpAuth: wx.tokenEndpoint must be "stable" or "legacy", got "${tokenEndpoint}"`)
  }
  // The same rule the standalone server applies to AUTH_DEV_ENDPOINTS: an app embedding the plugin gets it too.
  if (options.devEndpoints && process.env.NODE_ENV === 'production') {
    throw new ConfigError('uniMpAuth: devEndpoints lets anyone expire tokens and is refused when NODE_ENV is production')
  }
  const limits = options.rateLimit ?? {}
  const wx: WechatOptions = {
    appId: options.wx.appId,
    secret: options.wx.secret,
    apiBase: (options.wx.apiBase ?? DEFAULTS.wx.apiBase).replace(/\/+$/, ''),
    tokenEndpoint,
    timeoutMs: positiveInteger(options.wx.timeoutMs ?? DEFAULTS.wx.timeoutMs, 'wx.timeoutMs'),
  }
  return {
    wx,
    providers: resolveProviders(options.providers, wx),
    jwt: {
      secret: options.jwt.secret,
      issuer: options.jwt.issuer ?? DEFAULTS.jwt.issuer,
      audience: options.jwt.audience ?? DEFAULTS.jwt.audience,
      ttlSeconds: positiveInteger(options.jwt.ttlSeconds ?? DEFAULTS.jwt.ttlSeconds, 'jwt.ttlSeconds'),
    },
    refreshTtlSeconds: positiveInteger(options.refreshTtlSeconds ?? DEFAULTS.refreshTtlSeconds, 'refreshTtlSeconds'),
    rateLimit: {
      loginFailures: rule(limits.loginFailures, DEFAULTS.rateLimit.loginFailures, 'loginFailures'),
      loginConcurrency: positiveInteger(limits.loginConcurrency ?? DEFAULTS.rateLimit.loginConcurrency, 'rateLimit.loginConcurrency'),
      refresh: rule(limits.refresh, DEFAULTS.rateLimit.refresh, 'refresh'),
      phone: rule(limits.phone, DEFAULTS.rateLimit.phone, 'phone'),
    },
    avatarMaxBytes: positiveInteger(options.avatarMaxBytes ?? DEFAULTS.avatarMaxBytes, 'avatarMaxBytes'),
    drainLimitBytes: positiveInteger(options.drainLimitBytes ?? DEFAULTS.drainLimitBytes, 'drainLimitBytes'),
    devEndpoints: options.devEndpoints ?? false,
  }
}
