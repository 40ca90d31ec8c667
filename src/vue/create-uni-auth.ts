import type { Pinia } from 'pinia'
import type { App } from 'vue'
import { AuthError } from '../core/errors.js'
import type { UniAuthOptions } from '../uni/auth-config.js'
import { createAuth } from '../uni/create-auth.js'
import { AUTH_CONTEXT, type AuthContext, setActiveContext } from './auth-context.js'
import { type AuthState, useAuthStore } from './auth-store.js'

/**
 * The Vue plugin: `app.use(createPinia())`, then `app.use(createUniAuth({ login: '/auth/login' }))`.
 * Installing registers the uni interceptors and mirrors the session into the Pinia store.
 */
export function createUniAuth(options: UniAuthOptions): { install(app: App): void } {
  return {
    install(app) {
      const pinia = app.config.globalProperties.$pinia as Pinia | undefined
      if (!pinia) throw new AuthError('INVALID_OPTIONS', 'call app.use(createPinia()) before app.use(createUniAuth(...))')
      const auth = createAuth(options)
      const store = useAuthStore(pinia)
      const { engine } = auth
      // The function form replaces values; the object form would deep-merge an old user into a new one.
      const mirror = () =>
        store.$patch((state: AuthState) => {
          const { token = null, user = null, expiresAt = null } = engine.session || {}
          Object.assign(state, { token, user, expiresAt, status: engine.status, error: engine.error })
        })
      mirror()
      engine.subscribe(mirror)
      const context: AuthContext = { ...auth, store }
      app.provide(AUTH_CONTEXT, context)
      setActiveContext(context)
    },
  }
}
