export { createUniAuth, type UniAuthPlugin } from './vue/create-uni-auth'
export { useAuth, type UseAuthReturn } from './vue/use-auth'
export { useAuthLifecycle, type UseAuthLifecycleOptions } from './vue/use-auth-lifecycle'
export { useAuthStore, type AuthState, type AuthStore } from './vue/auth-store'
export { AuthError, isAuthError, type AuthErrorCode } from './core/errors'
export { createSessionEngine, type SessionEngine, type SessionEngineOptions, type SessionEvents } from './core/session-engine'
export type { BackoffOptions } from './core/backoff'
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
export { DEFAULTS, type UniAuthOptions, type SkipRule } from './uni/options'
export type { AuthResponse, InterceptedMethod } from './uni/auth-interceptor'
export type { UniLike } from './uni/uni-like'
export { pagesNeedingLogin, type GuardOptions, type NavigationMethod } from './uni/navigation-guard'
