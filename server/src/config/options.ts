import type { Redis } from 'ioredis'
import type { Clock } from '../base/clock.js'
import type { ProvidersOptions, ResolvedProviders } from '../providers/options.js'
import type { AuthStore } from '../store/types.js'

// The shapes of the configuration; `resolve-options.ts` fills in the defaults and checks them.

export type TokenEndpoint = 'stable' | 'legacy'

/** At most `max` events per `windowSeconds`. */
export interface RateLimitRule {
  max: number
  windowSeconds: number
}

export interface RateLimitOptions {
  /**
   * Login codes WeChat may reject per client address: a token bucket of `max`, refilled
   * continuously over `windowSeconds`. @default { max: 30, windowSeconds: 300 }
   */
  loginFailures: RateLimitRule
  /** code2Session calls in flight per client address on one instance; later logins wait their turn. @default 32 */
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

/**
 * The `wx` option resolved: the API base, token endpoint and timeout every WeChat target shares,
 * and the mini-program's AppID and AppSecret when one is configured there.
 */
export interface ResolvedWechatOptions extends Omit<WechatOptions, 'appId' | 'secret'> {
  appId?: string
  secret?: string
}

/**
 * The plugin's settings: plain values, so the environment loader can produce them too. At least one
 * login target is required: `wx` (the WeChat mini-program) or any of `providers`.
 */
export interface AuthSettings {
  /**
   * The WeChat mini-program (`appId` and `secret`, both or neither), and the WeChat API settings
   * every WeChat target shares. Leave it out for a backend that serves no WeChat mini-program.
   */
  wx?: Partial<WechatOptions>
  jwt: Pick<JwtOptions, 'secret'> & Partial<JwtOptions>
  /**
   * Login targets besides the `wx` mini-program, keyed by uni-app's platform name: more WeChat
   * mini-programs, H5 inside WeChat, website, App, Alipay, Douyin and QQ mini-programs, each with
   * one or more apps. A login naming a target that is not here is refused with
   * PLATFORM_NOT_CONFIGURED. @default {}
   */
  providers?: ProvidersOptions
  /** @default 2592000 (30 days) */
  refreshTtlSeconds?: number
  /**
   * A refresh token presented again this many seconds after its rotation, while the successor it
   * got is unused, is a retry whose answer was lost: it gets a new successor instead of revoking
   * the login. 0 = every reuse revokes. At most 300. @default 30
   */
  refreshGraceSeconds?: number
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
}

/** What a team passes to `app.register(uniMpAuth, options)`: the settings and the objects it owns. */
export interface UniMpAuthOptions extends AuthSettings {
  /** Where users, refresh tokens and code claims live; the caller opens and closes it. */
  store: AuthStore
  /** Shares rate-limit counters between instances; without it each instance counts on its own. @default null */
  redis?: Redis | null
  /** Route prefix, e.g. `/api`. @default '' */
  prefix?: string
  /** @default Date.now */
  now?: Clock
}

/** The settings with every default filled in and every value checked. */
export interface ResolvedAuthSettings {
  wx: ResolvedWechatOptions
  /** Every configured login target (at least one); `mp-weixin`'s first app is `wx` when that names one. */
  providers: ResolvedProviders
  jwt: JwtOptions
  refreshTtlSeconds: number
  refreshGraceSeconds: number
  rateLimit: RateLimitOptions
  avatarMaxBytes: number
  drainLimitBytes: number
  devEndpoints: boolean
}

/** The plugin's one configuration object after `resolveOptions()`: everything below the plugin reads this. */
export interface ResolvedAuthOptions extends ResolvedAuthSettings {
  store: AuthStore
  redis: Redis | null
  prefix: string
  now: Clock
}

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

/** The standalone server's own settings, around the plugin: listening, HTTP limits, where the store is. */
export interface ServerOptions {
  /** @default '127.0.0.1' */
  host?: string
  /** @default 8787 */
  port?: number
  /** Allowed browser origins; `undefined` = localhost/127.0.0.1 on any port outside production. */
  corsOrigins?: string[] | undefined
  /** @default false */
  trustProxy?: TrustProxy
  /** Largest accepted JSON body in bytes. @default 16384 */
  bodyLimit?: number
  timeouts?: Partial<ServerTimeouts>
  /** @default 'info' */
  logLevel?: string
  /**
   * Where what must not be lost lives: `sqlite:<path>` or `sqlite::memory:` (one machine),
   * `postgres://…` / `postgresql://…` (several instances). @default 'sqlite:./data/auth.db'
   */
  storeUrl?: string
  /**
   * `redis://…` / `rediss://…` for what may be lost, shared between instances: rate-limit counters
   * and the WeChat access_token cache. @default undefined (counters in memory per instance, the
   * access_token in the SQL store)
   */
  redisUrl?: string | undefined
  /**
   * How long an instance may answer a user lookup (`GET /me`, every authenticated route) from
   * memory; a change made through another instance shows after at most this. 0 = always ask the
   * database. @default 1000 (as `createStore`)
   */
  userCacheTtlMs?: number
  /** No development origins for CORS. @default `NODE_ENV === 'production'` */
  production?: boolean
}

export interface ResolvedServerOptions {
  host: string
  port: number
  corsOrigins: string[] | undefined
  trustProxy: TrustProxy
  bodyLimit: number
  timeouts: ServerTimeouts
  logLevel: string
  storeUrl: string
  redisUrl: string | undefined
  userCacheTtlMs: number
  production: boolean
}

/** What `buildApp()` takes: the plugin's settings and the server's own (`loadConfig()` reads both from the environment). */
export interface AppConfig {
  auth: AuthSettings
  server?: ServerOptions
}

/** `AppConfig` after `resolveAppConfig()` (what `loadConfig()` returns). */
export interface ResolvedAppConfig {
  auth: ResolvedAuthSettings
  server: ResolvedServerOptions
}

/**
 * Where the values came from, so that an error names what to change: an option path for the
 * plugin (`uniMpAuth: jwt.ttlSeconds …`), an environment variable for the standalone server
 * (`TOKEN_TTL_SECONDS …`).
 */
export interface ConfigSource {
  /** Put before every message. */
  prefix: string
  /** How the writer of the configuration calls the value at `path` (e.g. `jwt.ttlSeconds`). */
  name(path: string): string
  /** `NODE_ENV` is `production`: development switches are refused. */
  production: boolean
}
