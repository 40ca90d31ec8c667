import type { InjectionKey } from 'vue'
import type { UniSession } from '../uni/create-uni-session'
import type { AuthStore } from './auth-store'

export interface AuthContext {
  session: UniSession
  store: AuthStore
}

export const AUTH_CONTEXT_KEY: InjectionKey<AuthContext> = Symbol('uni-mp-auth')

/**
 * The most recently installed plugin, for calls outside components (request helpers, route guards),
 * the same fallback Pinia uses for its active instance.
 */
let activeContext: AuthContext | null = null

export function setActiveAuthContext(context: AuthContext | null): void {
  activeContext = context
}

export function getActiveAuthContext(): AuthContext | null {
  return activeContext
}
