import type { Pinia } from 'pinia'
import type { App } from 'vue'
import { AuthError } from '../core/errors'
import type { Session } from '../core/types'
import { createUniSession, type UniSession } from '../uni/create-uni-session'
import type { UniAuthOptions } from '../uni/options'
import { AUTH_CONTEXT_KEY, type AuthContext, setActiveAuthContext } from './auth-context'
import { type AuthState, type AuthStore, useAuthStore } from './auth-store'

export interface UniAuthPlugin {
  install(app: App): void
  /** The wired session, available after `app.use()`; for advanced use and tests. */
  readonly session: UniSession | null
}

/**
 * The Vue plugin: `app.use(createPinia())`, then `app.use(createUniAuth({ loginUrl }))`.
 * Installing registers the uni interceptors and restores the stored session into the store.
 */
export function createUniAuth(options: UniAuthOptions): UniAuthPlugin {
  let session: UniSession | null = null
  return {
    get session() {
      return session
    },
    install(app) {
      const pinia = app.config.globalProperties.$pinia as Pinia | undefined
      if (!pinia) {
        throw new AuthError('INVALID_OPTIONS', 'uni-mp-auth needs Pinia: call app.use(createPinia()) before app.use(createUniAuth(...))')
      }
      session = createUniSession(options)
      const store = useAuthStore(pinia)
      bindStore(session, store)
      const context: AuthContext = { session, store }
      app.provide(AUTH_CONTEXT_KEY, context)
      setActiveAuthContext(context)
    },
  }
}

function bindStore({ engine }: UniSession, store: AuthStore): void {
  const mirror = (current: Session | null) =>
    store.$patch((state: AuthState) => {
      state.token = current?.token ?? null
      state.user = current?.user ?? null
      state.expiresAt = current?.expiresAt ?? null
    })
  mirror(engine.session)
  store.status = engine.status
  engine.on('session', mirror)
  engine.on('status', (status) => {
    store.status = status
    if (status === 'authenticated' || status === 'logged-out') store.error = null
  })
  engine.on('error', (error) => {
    store.error = error
  })
}
