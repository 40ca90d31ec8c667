import { type ComputedRef, computed, getCurrentInstance, inject } from 'vue'
import { AuthError } from '../core/errors'
import type { AuthStatus, AuthUser, Session } from '../core/types'
import { AUTH_CONTEXT_KEY, type AuthContext, getActiveAuthContext } from './auth-context'

export interface UseAuthReturn {
  status: ComputedRef<AuthStatus>
  isLoggedIn: ComputedRef<boolean>
  token: ComputedRef<string | null>
  user: ComputedRef<AuthUser | null>
  error: ComputedRef<AuthError | null>
  /** Whether the backend reports a bound phone number (`user.phoneBound === true`). */
  phoneBound: ComputedRef<boolean>
  /** Resolves with a usable session; concurrent callers share one login. */
  ensureSession(): Promise<Session>
  /** Forces a fresh `uni.login` + exchange (shared with any attempt already running). */
  relogin(): Promise<Session>
  /** Ends the session now; pending logins reject with `LOGGED_OUT`. */
  logout(): void
  /** Binds the phone from `<button open-type="getPhoneNumber">`'s `detail.code`; needs `phoneUrl`. */
  bindPhone(code: string): Promise<AuthUser>
}

/** The session for components and for code outside them (after `app.use(createUniAuth(...))`). */
export function useAuth(): UseAuthReturn {
  const { session, store } = resolveContext()
  const { engine } = session
  return {
    status: computed(() => store.status),
    isLoggedIn: computed(() => store.isLoggedIn),
    token: computed(() => store.token),
    user: computed(() => store.user),
    error: computed(() => store.error),
    phoneBound: computed(() => store.phoneBound),
    ensureSession: () => engine.ensureSession(),
    relogin: () => engine.relogin(),
    logout: () => session.logout(),
    bindPhone: (code) => session.bindPhone(code),
  }
}

export function resolveContext(): AuthContext {
  const injected = getCurrentInstance() ? inject(AUTH_CONTEXT_KEY, null) : null
  const context = injected ?? getActiveAuthContext()
  if (!context) {
    throw new AuthError('INVALID_OPTIONS', 'useAuth() was called before app.use(createUniAuth(...)); install the plugin in main.ts first')
  }
  return context
}
