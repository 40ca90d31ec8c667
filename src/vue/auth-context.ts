import type { InjectionKey } from 'vue'
import { getCurrentInstance, inject } from 'vue'
import { AuthError } from '../core/errors.js'
import type { UniAuth } from '../uni/create-auth.js'
import type { AuthStore } from './auth-store.js'

/** What `app.use(createUniAuth())` leaves behind for `useAuth()` and the optional entry points. */
export interface AuthContext extends UniAuth {
  readonly store: AuthStore
}

/**
 * Registry symbols and the active context live outside this module: a bundler may load the library
 * twice (Vite's dev server pre-bundles the entry points but serves `<AuthTimeline>`'s own imports
 * raw), and both copies must find the one installed plugin.
 */
export const AUTH_CONTEXT: InjectionKey<AuthContext> = Symbol.for('uni-mp-auth.context')
const ACTIVE = Symbol.for('uni-mp-auth.active')
const shared = (typeof globalThis === 'object' ? globalThis : {}) as { [ACTIVE]?: AuthContext }

/**
 * The most recently installed plugin, for calls outside components (request helpers, guards): the
 * same fallback Pinia uses for its active instance.
 */
export function setActiveContext(context: AuthContext | undefined): void {
  shared[ACTIVE] = context
}

export function authContext(): AuthContext {
  const context = (getCurrentInstance() && inject(AUTH_CONTEXT, undefined)) || shared[ACTIVE]
  if (!context) throw new AuthError('INVALID_OPTIONS', 'call app.use(createUniAuth(...)) in main.ts before useAuth()')
  return context
}
