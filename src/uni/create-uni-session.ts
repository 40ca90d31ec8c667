import { createSessionEngine, type SessionEngine } from '../core/session-engine'
import type { AuthUser, Session } from '../core/types'
import { installAuthInterceptor } from './auth-interceptor'
import { bindPhone } from './bind-phone'
import { bypassPost } from './bypass-post'
import { loginProviderForBuild } from './login-provider'
import { installNavigationGuard, type NavigationGuard } from './navigation-guard'
import { DEFAULTS, type NormalizedOptions, normalizeOptions, type UniAuthOptions } from './options'
import { postForGrant } from './request-exchange'
import { globalUni } from './uni-like'
import { createUniPlatform } from './uni-platform'
import { createUniStorage } from './uni-storage'

/** The session engine wired to uni-app: platform, storage, exchange and interceptors. */
export interface UniSession {
  readonly engine: SessionEngine
  readonly options: NormalizedOptions
  /** The navigation guard, when `guard` was configured. */
  readonly guard: NavigationGuard | null
  /** Ends the session locally at once and tells the backend (best effort) when `logoutUrl` is set. */
  logout(): void
  /** Binds the phone number from a `getPhoneNumber` button's `detail.code`; never logs in on the way. */
  bindPhone(code: string): Promise<AuthUser>
  /** Removes the interceptors; the engine stays usable. */
  uninstall(): void
}

export function createUniSession(options: UniAuthOptions): UniSession {
  const normalized = normalizeOptions(options, options.uni ?? globalUni())
  const { uniApi, loginUrl, refreshUrl, logoutUrl, loginTimeoutMs, report } = normalized
  const platform = createUniPlatform(uniApi, { provider: options.provider ?? loginProviderForBuild() })
  if (options.getCode) platform.getCode = options.getCode
  const exchange =
    options.exchange ?? ((code: string) => postForGrant({ uniApi, url: loginUrl as string, body: { code }, timeoutMs: loginTimeoutMs }))
  const refresh =
    options.refresh ??
    (refreshUrl
      ? (refreshToken: string) => postForGrant({ uniApi, url: refreshUrl, body: { refreshToken }, timeoutMs: loginTimeoutMs })
      : undefined)
  const engine = createSessionEngine({
    platform,
    exchange,
    refresh,
    storage: options.storage ?? createUniStorage(uniApi),
    storageKey: options.storageKey ?? DEFAULTS.storageKey,
    clock: options.clock,
    loginTimeoutMs,
    checkSessionTimeoutMs: options.checkSessionTimeoutMs,
    sessionCheck: options.sessionCheck,
    expirySkewMs: options.expirySkewMs,
    recheckAfterBackgroundMs: options.recheckAfterBackgroundMs,
    backoff: options.backoff,
  })
  engine.on('status', (status) => report('status', status))
  engine.on('error', (error) => report('error', error))
  const uninstallInterceptor = installAuthInterceptor({ ...normalized, engine, methods: normalized.intercept })
  const guard = options.guard ? installNavigationGuard(uniApi, engine, options.guard) : null

  function notifyBackend(previous: Session | null): void {
    if (!logoutUrl || !previous) return
    bypassPost({
      uniApi,
      url: logoutUrl,
      body: { refreshToken: previous.refreshToken },
      header: { [normalized.tokenHeader]: normalized.formatToken(previous.token) },
    }).catch((error: unknown) => {
      // The local logout already happened; a failed revoke is only worth a debug line.
      report('logout-notify-failed', error)
    })
  }

  return {
    engine,
    options: normalized,
    guard,
    logout: () => notifyBackend(engine.logout()),
    bindPhone: (code) => bindPhone(engine, normalized, code),
    uninstall() {
      uninstallInterceptor()
      guard?.uninstall()
    },
  }
}
