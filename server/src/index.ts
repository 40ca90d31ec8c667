// Public entry of @uni-mp-auth/server: the fastify plugin, the standalone app and what both need.
export { type BuildAppOptions, buildApp } from './app.js'
export type { ProviderRegistry, SelectedProvider } from './providers/registry.js'
export type { RequireUser } from './auth/require-user.js'
export type { Clock } from './base/clock.js'
export { SERVER_DEFAULTS } from './base/defaults.js'
export { ConfigError, ERROR_STATUS, type ErrorBody, type ErrorCode, HttpAuthError, isHttpAuthError } from './base/errors.js'
export { loadConfig } from './config/environment.js'
export type {
  AppConfig,
  AuthSettings,
  JwtOptions,
  RateLimitOptions,
  RateLimitRule,
  ResolvedAppConfig,
  ResolvedAuthOptions,
  ResolvedAuthSettings,
  ResolvedServerOptions,
  ServerOptions,
  ServerTimeouts,
  TokenEndpoint,
  TrustProxy,
  ResolvedWechatOptions,
  UniMpAuthOptions,
  WechatOptions,
} from './config/options.js'
export { errorHandler, notFoundHandler } from './http/error-handler.js'
export type { PublicUser } from './http/public-user.js'
export type { Readiness } from './http/readiness.js'
export { type UniMpAuthContext, uniMpAuth } from './plugin.js'
export type {
  AlipayAppOptions,
  ProvidersOptions,
  ResolvedProviders,
  ResolvedTarget,
  SecretAppOptions,
  TargetOptions,
} from './providers/options.js'
export {
  type ExchangedIdentity,
  type IdentityProvider,
  type IdentityProviderName,
  LOGIN_PLATFORMS,
  type LoginPlatform,
} from './providers/types.js'
export { createStore } from './store/create-store.js'
export { createRedisClient } from './store/redis-client.js'
export type {
  AuthStore,
  CachedAccessToken,
  IdentityKey,
  IdentityRecord,
  NewLogin,
  RefreshRotateResult,
  RefreshSuccessor,
  RotateRefreshOptions,
  RefreshTokenRecord,
  UserRecord,
} from './store/types.js'
export type { AccessClaims, AccessTokens } from './tokens/access-tokens.js'
export type { AccessTokenProvider } from './wechat/access-token.js'
export type { WechatClient } from './wechat/client.js'
export type { MiniProgramApi } from './services/services.js'
export { decryptUserData, verifyRawDataSignature } from './wechat/user-data.js'
