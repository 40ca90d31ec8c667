import { defineStore } from 'pinia'
import type { AuthError } from '../core/errors.js'
import type { AuthStatus, AuthUser } from '../core/types.js'

export interface AuthState {
  token: string | null
  status: AuthStatus
  user: AuthUser | null
  /** Epoch milliseconds, or `null` when unknown. */
  expiresAt: number | null
  error: AuthError | null
}

/**
 * The reactive view of the session. The engine owns the truth (and persists it); this store only
 * mirrors it, so writing to it by hand changes nothing about the real session.
 */
export const useAuthStore = defineStore('auth', {
  state: (): AuthState => ({ token: null, status: 'idle', user: null, expiresAt: null, error: null }),
  getters: {
    isLoggedIn: (state): boolean => state.token !== null,
  },
})

export type AuthStore = ReturnType<typeof useAuthStore>
