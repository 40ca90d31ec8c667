import { type AuthEngine, createAuthEngine } from '../core/auth-engine.js'
import { type AuthConfig, normalizeOptions, type UniAuthOptions } from './auth-config.js'
import { installAuthInterceptor } from './auth-interceptor.js'
import { describeEvent } from './describe-event.js'
import { uniPlatform, uniStorage } from './uni-host.js'

/** The session engine wired to uni-app: platform, storage, login calls and the interceptors. */
export interface UniAuth {
  readonly engine: AuthEngine
  readonly config: AuthConfig
  /** Ends the session locally at once and tells the backend (best effort) when `logout` is set. */
  logout(): void
  /** Removes the interceptors; the engine stays usable. */
  uninstall(): void
}

export function createAuth(options: UniAuthOptions): UniAuth {
  const config = normalizeOptions(options)
  let inLoginCall = false
  const engine = createAuthEngine(
    {
      platform: uniPlatform(config.uni, config.getCode),
      // The flag lets the interceptor catch a login function that sends its own request through it.
      login: (code) => {
        inLoginCall = true
        try {
          return config.login(code)
        } finally {
          inLoginCall = false
        }
      },
      refresh: config.refresh,
      storage: config.host?.storage ?? uniStorage(config.uni),
      clock: config.host?.clock,
    },
    config.engine,
  )
  if (config.onEvent) engine.subscribe(config.onEvent)
  if (config.debug) engine.subscribe((event) => console.debug(describeEvent(event)))
  const uninstall = installAuthInterceptor(config, engine, () => inLoginCall)
  return {
    engine,
    config,
    logout() {
      const ended = engine.logout()
      // The local logout already happened; a failed revoke only costs the backend an unused token.
      const notify = config.notifyLogout
      if (ended && notify) {
        Promise.resolve(ended)
          .then(notify)
          .catch((error: unknown) => console.debug('[uni-mp-auth] logout notice failed', error))
      }
    },
    uninstall,
  }
}
