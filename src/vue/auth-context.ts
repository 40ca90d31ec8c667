import type { InjectionKey } from 'vue'
import { getCurrentInstance, inject } from 'vue'
import { AuthError } from '../core/errors.js'
import type { UniAuth } from '../uni/create-auth.js'
import type { AuthStore } from './auth-store.js'

/** What `app.use(createUniAuth())` leaves behind for `useAuth()` and the optional entry points. */
export interface AuthContext extends UniAuth {
  readonly store: AuthStore
}

export const AUTH_CONTEXT: InjectionKey<AuthContext> = Symbol('uni-mp-auth')

/**
 * The most recently installed plugin, for calls outside components (request helpers, guards): the
 * same fallback Pinia uses for its active instance.
 */
let active: AuthContext | undefined

export function setActiveContext(context: AuthContext | undefined): void {
  active = context
}

export function authContext(): AuthContext {
  const context = (getCurrentInstance() && inject(AUTH_CONTEXT, undefined)) || active
  if (!context) throw new AuthError('INVALID_OPTIONS', 'call app.use(createUniAuth(...)) in main.ts before useAuth()')
  return context
}
