export type { BackoffOptions } from './core/backoff'
export { AuthError, type AuthErrorCode, isAuthError } from './core/errors'
export { createSessionEngine, type SessionEngine, type SessionEngineOptions, type SessionEvents } from './core/session-engine'
export type {
  AuthStatus,
  AuthUser,
  Clock,
  LoginPlatform,
  PlatformSessionState,
  Session,
  StorageLike,
  TokenGrant,
} from './core/types'
export type { AuthResponse, InterceptedMethod } from './uni/auth-interceptor'
export { type GuardOptions, type NavigationMethod, pagesNeedingLogin } from './uni/navigation-guard'
export { DEFAULTS, type SkipRule, type UniAuthOptions } from './uni/options'
export type { UniLike } from './uni/uni-like'
export { type AuthState, type AuthStore, useAuthStore } from './vue/auth-store'
export { createUniAuth, type UniAuthPlugin } from './vue/create-uni-auth'
export { type UseAuthReturn, useAuth } from './vue/use-auth'
export { type UseAuthLifecycleOptions, useAuthLifecycle } from './vue/use-auth-lifecycle'
