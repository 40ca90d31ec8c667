import { type ComputedRef, computed, getCurrentScope, onScopeDispose } from 'vue'
import type { AuthError } from '../core/errors.js'
import type { AuthEventListener } from '../core/events.js'
import type { AuthStatus, AuthUser, Session } from '../core/types.js'
import { authContext } from './auth-context.js'

export interface UseAuthReturn {
  status: ComputedRef<AuthStatus>
  isLoggedIn: ComputedRef<boolean>
  token: ComputedRef<string | null>
  user: ComputedRef<AuthUser | null>
  /** The failure of the latest login attempt, until one succeeds. */
  error: ComputedRef<AuthError | null>
  /** Resolves with a usable session; concurrent callers share one login. */
  ensureSession(): Promise<Session>
  /** Forces a fresh `uni.login` + exchange (shared with an attempt already running). */
  relogin(): Promise<Session>
  /** Ends the session now; pending logins reject with `LOGGED_OUT`. */
  logout(): void
  /**
   * Every `AuthEvent` from now on. Returns the unsubscribe function; inside a component (any effect
   * scope) it also unsubscribes when the scope ends.
   */
  onEvent(listener: AuthEventListener): () => void
}

/** The session for components, and for code outside them once the plugin is installed. */
export function useAuth(): UseAuthReturn {
  const { engine, store, logout } = authContext()
  return {
    status: computed(() => store.status),
    isLoggedIn: computed(() => store.isLoggedIn),
    token: computed(() => store.token),
    user: computed(() => store.user),
    error: computed(() => store.error),
    ensureSession: () => engine.ensureSession(),
    relogin: () => engine.relogin(),
    logout,
    onEvent(listener) {
      const off = engine.subscribe(listener)
      if (getCurrentScope()) onScopeDispose(off)
      return off
    },
  }
}
