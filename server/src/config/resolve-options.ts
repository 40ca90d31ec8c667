import { systemClock } from '../base/clock.js'
import { SERVER_DEFAULTS } from '../base/defaults.js'
import { ConfigError } from '../base/errors.js'
import { resolveProviders } from './resolve-providers.js'
import type {
  AppConfig,
  AuthSettings,
  ConfigSource,
  RateLimitRule,
  ResolvedAppConfig,
  ResolvedAuthOptions,
  ResolvedAuthSettings,
  ResolvedServerOptions,
  ResolvedWechatOptions,
  ServerOptions,
  UniMpAuthOptions,
} from './options.js'

export type { ConfigSource } from './options.js'

/** Options written in code, e.g. passed to `app.register(uniMpAuth, …)`. */
export function pluginSource(prefix = 'uniMpAuth: '): ConfigSource {
  return { prefix, name: (path) => path, production: process.env.NODE_ENV === 'production' }
}

function fail(source: ConfigSource, message: string): never {
  throw new ConfigError(source.prefix + message)
}

function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value)
}

function positiveInteger(value: number, path: string, source: ConfigSource): number {
  if (!Number.isInteger(value) || value <= 0) fail(source, `${source.name(path)} must be a positive integer, got ${shown(value)}`)
  return value
}

function nonNegativeInteger(value: number, path: string, source: ConfigSource): number {
  if (!Number.isInteger(value) || value < 0) fail(source, `${source.name(path)} must be 0 or a positive integer, got ${shown(value)}`)
  return value
}

// A longer window would let a stolen token ride along with its owner's rotations for that long.
const MAX_REFRESH_GRACE_SECONDS = 300

function graceSeconds(value: number, path: string, source: ConfigSource): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_REFRESH_GRACE_SECONDS) {
    fail(source, `${source.name(path)} must be an integer from 0 to ${MAX_REFRESH_GRACE_SECONDS}, got ${shown(value)}`)
  }
  return value
}

function rule(given: Partial<RateLimitRule> | undefined, fallback: RateLimitRule, path: string, source: ConfigSource): RateLimitRule {
  return {
    max: positiveInteger(given?.max ?? fallback.max, `${path}.max`, source),
    windowSeconds: positiveInteger(given?.windowSeconds ?? fallback.windowSeconds, `${path}.windowSeconds`, source),
  }
}

/** Fills in the plugin settings' defaults and refuses values that cannot work, saying how to fix them. */
function resolveSettings(settings: AuthSettings, source: ConfigSource = pluginSource()): ResolvedAuthSettings {
  const { name } = source
  const given = settings?.wx ?? {}
  // Both or neither: one without the other is a typo, not a wish to leave the mini-program out.
  if (Boolean(given.appId) !== Boolean(given.secret)) {
    fail(source, `${name('wx.appId')} and ${name('wx.secret')} go together (the mini-program AppID and AppSecret): set both, or neither`)
  }
  // HS256 wants at least 256 bits of key; shorter secrets are brute-forceable offline from any token.
  if (!settings?.jwt?.secret || Buffer.byteLength(settings.jwt.secret) < 32) {
    fail(source, `${name('jwt.secret')} must be at least 32 bytes (e.g. \`openssl rand -base64 48\`)`)
  }
  const defaults = SERVER_DEFAULTS
  const tokenEndpoint = given.tokenEndpoint ?? defaults.wx.tokenEndpoint
  if (tokenEndpoint !== 'stable' && tokenEndpoint !== 'legacy') {
    fail(source, `${name('wx.tokenEndpoint')} must be "stable" or "legacy", got "${tokenEndpoint}"`)
  }
  const devEndpoints = settings.devEndpoints ?? defaults.devEndpoints
  if (devEndpoints && source.production) {
    fail(source, `${name('devEndpoints')} lets anyone expire tokens and is refused when NODE_ENV is production`)
  }
  const limits = settings.rateLimit ?? {}
  const wx: ResolvedWechatOptions = {
    ...(given.appId && given.secret ? { appId: given.appId, secret: given.secret } : {}),
    apiBase: (given.apiBase ?? defaults.wx.apiBase).replace(/\/+$/, ''),
    tokenEndpoint,
    timeoutMs: positiveInteger(given.timeoutMs ?? defaults.wx.timeoutMs, 'wx.timeoutMs', source),
  }
  return {
    wx,
    providers: resolveProviders(settings.providers, wx, source),
    jwt: {
      secret: settings.jwt.secret,
      issuer: settings.jwt.issuer ?? defaults.jwt.issuer,
      audience: settings.jwt.audience ?? defaults.jwt.audience,
      ttlSeconds: positiveInteger(settings.jwt.ttlSeconds ?? defaults.jwt.ttlSeconds, 'jwt.ttlSeconds', source),
    },
    refreshTtlSeconds: positiveInteger(settings.refreshTtlSeconds ?? defaults.refreshTtlSeconds, 'refreshTtlSeconds', source),
    refreshGraceSeconds: graceSeconds(settings.refreshGraceSeconds ?? defaults.refreshGraceSeconds, 'refreshGraceSeconds', source),
    rateLimit: {
      loginFailures: rule(limits.loginFailures, defaults.rateLimit.loginFailures, 'rateLimit.loginFailures', source),
      loginConcurrency: positiveInteger(
        limits.loginConcurrency ?? defaults.rateLimit.loginConcurrency,
        'rateLimit.loginConcurrency',
        source,
      ),
      refresh: rule(limits.refresh, defaults.rateLimit.refresh, 'rateLimit.refresh', source),
      phone: rule(limits.phone, defaults.rateLimit.phone, 'rateLimit.phone', source),
    },
    avatarMaxBytes: positiveInteger(settings.avatarMaxBytes ?? defaults.avatarMaxBytes, 'avatarMaxBytes', source),
    drainLimitBytes: positiveInteger(settings.drainLimitBytes ?? defaults.drainLimitBytes, 'drainLimitBytes', source),
    devEndpoints,
  }
}

const STORE_METHODS = [
  'claimCode',
  'loginWithIdentity',
  'linkIdentity',
  'saveRefreshToken',
  'rotateRefreshToken',
  'revokeFamily',
  'ping',
] as const

/** The plugin's options, resolved: the one object `plugin.ts` and everything below it read. */
export function resolveOptions(options: UniMpAuthOptions, source: ConfigSource = pluginSource()): ResolvedAuthOptions {
  const settings = resolveSettings(options, source)
  if (typeof (options.store as { then?: unknown } | undefined)?.then === 'function') {
    fail(source, 'store is a Promise; createStore() opens the database asynchronously: `store: await createStore(url)`')
  }
  const missing = STORE_METHODS.filter((method) => typeof options.store?.[method] !== 'function')
  if (missing.length > 0) fail(source, `store must implement AuthStore (missing ${missing.join(', ')}); see createStore()`)
  return {
    ...settings,
    store: options.store,
    redis: options.redis ?? null,
    prefix: options.prefix ?? SERVER_DEFAULTS.prefix,
    now: options.now ?? systemClock,
  }
}

/** Fills in the standalone server's own settings and refuses values that cannot work. */
export function resolveServerOptions(server: ServerOptions = {}, source: ConfigSource = pluginSource()): ResolvedServerOptions {
  const { name } = source
  const defaults = SERVER_DEFAULTS
  const given = server.timeouts ?? {}
  const timeouts = {
    requestMs: positiveInteger(given.requestMs ?? defaults.timeouts.requestMs, 'timeouts.requestMs', source),
    headersMs: positiveInteger(given.headersMs ?? defaults.timeouts.headersMs, 'timeouts.headersMs', source),
    connectionMs: positiveInteger(given.connectionMs ?? defaults.timeouts.connectionMs, 'timeouts.connectionMs', source),
    keepAliveMs: positiveInteger(given.keepAliveMs ?? defaults.timeouts.keepAliveMs, 'timeouts.keepAliveMs', source),
    checkIntervalMs: positiveInteger(given.checkIntervalMs ?? defaults.timeouts.checkIntervalMs, 'timeouts.checkIntervalMs', source),
  }
  // Node only cuts a slow body when the headers timeout is not longer than the request timeout.
  if (timeouts.headersMs > timeouts.requestMs) {
    fail(
      source,
      `${name('timeouts.headersMs')} (${timeouts.headersMs}) must not exceed ${name('timeouts.requestMs')} (${timeouts.requestMs})`,
    )
  }
  const redisUrl = server.redisUrl || undefined
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl))
    fail(source, `${name('redisUrl')} must start with "redis://" or "rediss://"`)
  return {
    host: server.host || defaults.host,
    port: positiveInteger(server.port ?? defaults.port, 'port', source),
    corsOrigins: server.corsOrigins,
    trustProxy: server.trustProxy ?? false,
    bodyLimit: positiveInteger(server.bodyLimit ?? defaults.bodyLimit, 'bodyLimit', source),
    timeouts,
    logLevel: server.logLevel || defaults.logLevel,
    // Checked where it is parsed, by createStore().
    storeUrl: server.storeUrl || defaults.storeUrl,
    redisUrl,
    userCacheTtlMs: nonNegativeInteger(server.userCacheTtlMs ?? defaults.userCacheTtlMs, 'userCacheTtlMs', source),
    production: server.production ?? source.production,
  }
}

/** The standalone server's configuration, resolved: `buildApp()` and `loadConfig()` both go through here. */
export function resolveAppConfig(config: AppConfig, source: ConfigSource = pluginSource()): ResolvedAppConfig {
  return { auth: resolveSettings(config.auth, source), server: resolveServerOptions(config.server, source) }
}
