/**
 * Every default of the backend, in one place: the plugin options and the environment variables
 * of the standalone server both fall back to these.
 */
export const DEFAULTS = {
  wx: {
    apiBase: 'https://api.weixin.qq.com',
    tokenEndpoint: 'stable',
    timeoutMs: 5000,
  },
  providers: {
    alipay: { apiBase: 'https://openapi.alipay.com/gateway.do', timeoutMs: 5000 },
    douyin: { apiBase: 'https://developer.toutiao.com', timeoutMs: 5000 },
  },
  jwt: {
    issuer: 'uni-mp-auth',
    audience: 'uni-mp-auth-client',
    ttlSeconds: 7200,
  },
  refreshTtlSeconds: 30 * 24 * 3600,
  rateLimit: {
    // A code WeChat rejects costs one code2Session call: this is the quota a client address may burn.
    loginFailures: { max: 20, windowSeconds: 600 },
    loginConcurrency: 8,
    // Refreshing costs no upstream call; the limit only caps store load from one address (carrier NAT
    // included: 36,000 users refreshing every two hours are 300 a minute).
    refresh: { max: 300, windowSeconds: 60 },
    // Each binding costs one getuserphonenumber call; counted per user, not per address.
    phone: { max: 10, windowSeconds: 600 },
  },
  avatarMaxBytes: 2 * 1024 * 1024,
  drainLimitBytes: 4 * 1024 * 1024,
  bodyLimit: 16 * 1024,
  timeouts: {
    requestMs: 20_000,
    headersMs: 10_000,
    connectionMs: 60_000,
    // Longer than the 60 s idle timeout of common load balancers, so they close first.
    keepAliveMs: 72_000,
    checkIntervalMs: 5_000,
  },
} as const
