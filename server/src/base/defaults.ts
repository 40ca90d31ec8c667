/**
 * Every default of the backend, in one place: the plugin options, the standalone server's own
 * settings and the environment variables all fall back to these (see `config/resolve-options.ts`).
 * Named apart from the client package's `DEFAULTS`.
 */
export const SERVER_DEFAULTS = {
  // The plugin's settings (`UniMpAuthOptions`). Later identity providers get their own section
  // beside `wx`; refresh-token settings sit beside `refreshTtlSeconds`, login limits in `rateLimit`.
  wx: {
    apiBase: 'https://api.weixin.qq.com',
    tokenEndpoint: 'stable',
    timeoutMs: 5000,
  },
  providers: {
    alipay: { apiBase: 'https://openapi.alipay.com/gateway.do', timeoutMs: 5000 },
    douyin: { apiBase: 'https://developer.toutiao.com', timeoutMs: 5000 },
    qq: { apiBase: 'https://api.q.qq.com', timeoutMs: 5000 },
  },
  jwt: {
    issuer: 'uni-mp-auth',
    audience: 'uni-mp-auth-client',
    ttlSeconds: 7200,
  },
  refreshTtlSeconds: 30 * 24 * 3600,
  // A spent refresh token presented again this soon is a retry of a lost answer, not a replay (as
  // Auth0's reuse interval, Okta's grace period): long enough for a client's retry, short for a thief.
  refreshGraceSeconds: 30,
  rateLimit: {
    // A code WeChat rejects costs one code2Session call: this is the quota a client address may burn,
    // a token bucket of 30 refilled over 300 s (one token every 10 s), so no address, carrier NAT
    // included, is ever shut out for longer than 10 s.
    loginFailures: { max: 30, windowSeconds: 300 },
    loginConcurrency: 32,
    // Refreshing costs no upstream call; the limit only caps store load from one address (carrier NAT
    // included: 36,000 users refreshing every two hours are 300 a minute).
    refresh: { max: 300, windowSeconds: 60 },
    // Each binding costs one getuserphonenumber call; counted per user, not per address.
    phone: { max: 10, windowSeconds: 600 },
  },
  avatarMaxBytes: 2 * 1024 * 1024,
  drainLimitBytes: 4 * 1024 * 1024,
  devEndpoints: false,
  prefix: '',

  // The store, whoever opens it (`createStore`, the standalone server).
  storeUrl: 'sqlite:./data/auth.db',
  // One second of possibly stale user reads per instance saves a database read on every
  // authenticated request; 0 turns it off.
  userCacheTtlMs: 1000,

  // The standalone server's own settings (`ServerOptions`).
  host: '127.0.0.1',
  port: 8787,
  bodyLimit: 16 * 1024,
  logLevel: 'info',
  timeouts: {
    requestMs: 20_000,
    headersMs: 10_000,
    connectionMs: 60_000,
    // Longer than the 60 s idle timeout of common load balancers, so they close first.
    keepAliveMs: 72_000,
    checkIntervalMs: 5_000,
  },

  // What the environment loader fills in outside production: the mock WeChat's defaults, so
  // `npm start` works out of the box. Production refuses to start with any of them.
  development: {
    appId: 'wx0000000000mock01',
    secret: 'mock-app-secret-not-for-production',
    jwtSecret: 'dev-only-jwt-secret-change-me-0123456789',
  },
} as const
