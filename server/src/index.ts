// Public entry of @uni-mp-auth/server: the fastify plugin, the standalone app and what both need.
export { type BuildAppOptions, buildApp } from './app.js'
export type { RequireUser } from './auth/require-user.js'
export type { Clock } from './clock.js'
export { type AppConfig, ConfigError, loadConfig, type ServerTimeouts, type TrustProxy } from './config.js'
export { DEFAULTS } from './defaults.js'
export { AuthError, ERROR_STATUS, type ErrorBody, type ErrorCode, isAuthError } from './errors.js'
export { errorHandler, notFoundHandler } from './http/error-handler.js'
export type { Readiness } from './http/readiness.js'
export type { PublicUser } from './http/public-user.js'
export type {
  AuthConfig,
  JwtOptions,
  RateLimitOptions,
  RateLimitRule,
  TokenEndpoint,
  UniMpAuthOptions,
  WechatOptions,
} from './options.js'
export { type UniMpAuthContext, uniMpAuth } from './plugin.js'
export { createRedisClient } from './redis.js'
export { createStore } from './store/create-store.js'
export type {
  AuthStore,
  CachedAccessToken,
  RefreshRotateResult,
  RefreshSuccessor,
  RotateRefreshOptions,
  RefreshTokenRecord,
  UserRecord,
  WechatIdentity,
} from './store/types.js'
export type { AccessClaims, AccessTokens } from './tokens/access-tokens.js'
export type { AccessTokenProvider } from './wechat/access-token.js'
export type { WechatClient } from './wechat/client.js'
export { decryptUserData, verifyRawDataSignature } from './wechat/user-data.js'
