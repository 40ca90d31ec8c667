import type { SessionEngine } from '../core/session-engine'
import type { AuthUser } from '../core/types'
import { takeMarker, withMarker } from './request-marker'
import type { UniInterceptor, UniLike, UniOptions } from './uni-like'

export type NavigationMethod = 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab'
const NAVIGATION_METHODS: readonly NavigationMethod[] = ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab']

export interface GuardOptions {
  /**
   * Pages that need an authorized user: paths as in pages.json (`'pages/orders/index'`), or a
   * predicate. `pagesNeedingLogin(pagesJson)` reads `"needLogin": true` flags from pages.json.
   */
  pages: readonly string[] | ((path: string) => boolean)
  /** Where an unauthorized navigation goes instead, e.g. `'/pages/login/index'`. */
  loginPage: string
  /** Authorized also means "has a bound phone number" (`user.phoneBound === true`). @default false */
  requirePhone?: boolean
}

interface Target {
  method: NavigationMethod
  url: string
}

export interface NavigationGuard {
  /** The navigation that was diverted to the login page and will be resumed after login. */
  readonly pending: Target | null
  /** For the first page, which is not reached through a navigation API. */
  checkLaunch(path: string, query?: Record<string, string>): void
  uninstall(): void
}

/**
 * Intercepts the four navigation APIs. A navigation to a guarded page waits for the silent login
 * when there is no session yet; if the user is still not authorized it goes to the login page, and
 * the target is resumed as soon as the session makes the user authorized.
 */
export function installNavigationGuard(uniApi: UniLike, engine: SessionEngine, guard: GuardOptions): NavigationGuard {
  const needsAuth = typeof guard.pages === 'function' ? guard.pages : (path: string) => (guard.pages as string[]).map(pathOf).includes(path)
  const loginPath = pathOf(guard.loginPage)
  let pending: Target | null = null

  const authorized = (user: AuthUser | null | undefined = engine.session?.user) =>
    engine.session !== null && (!guard.requirePhone || user?.phoneBound === true)

  const navigate = (method: NavigationMethod, url: string) => {
    const api = uniApi[method]
    if (typeof api === 'function') api(withMarker({ url }, { kind: 'bypass' }))
  }

  const divert = (target: Target) => {
    pending = target
    // A reLaunch (or the first page) has no page below it to come back to: replace the stack.
    navigate(target.method === 'reLaunch' ? 'reLaunch' : 'navigateTo', guard.loginPage)
  }

  const decide = (target: Target) => {
    if (authorized()) return navigate(target.method, target.url)
    if (engine.session) return divert(target)
    // No session yet: the silent login decides, and only a failure sends the user to the login page.
    engine.ensureSession().then(
      () => (authorized() ? navigate(target.method, target.url) : divert(target)),
      () => divert(target),
    )
  }

  const unsubscribe = engine.on('session', () => {
    if (!pending || !authorized()) return
    const target = pending
    pending = null
    // Replace the login page with the page the user wanted.
    navigate(target.method === 'navigateTo' ? 'redirectTo' : target.method, target.url)
  })

  const registered = NAVIGATION_METHODS.map((method) => {
    const interceptor: UniInterceptor = {
      invoke(options: UniOptions) {
        if (takeMarker(options)?.kind === 'bypass') return
        const url = typeof options.url === 'string' ? options.url : ''
        const path = pathOf(url)
        if (path === loginPath || !needsAuth(path) || authorized()) return
        decide({ method, url })
        return false
      },
    }
    uniApi.addInterceptor(method, interceptor)
    return [method, interceptor] as const
  })

  return {
    get pending() {
      return pending
    },
    checkLaunch(path, query = {}) {
      const normalized = pathOf(path)
      if (normalized === loginPath || !needsAuth(normalized) || authorized()) return
      // Mini-program runtimes have no URLSearchParams.
      const search = Object.entries(query)
        .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
        .join('&')
      decide({ method: 'reLaunch', url: `/${normalized}${search ? `?${search}` : ''}` })
    },
    uninstall() {
      unsubscribe()
      for (const [method, interceptor] of registered) uniApi.removeInterceptor(method, interceptor)
    },
  }
}

/** `'/pages/a/index?x=1'` → `'pages/a/index'`, the form pages.json uses. */
export function pathOf(url: string): string {
  return (url.split(/[?#]/, 1)[0] ?? '').replace(/^\/+/, '').replace(/\/+$/, '')
}

interface PagesJson {
  pages?: Array<{ path: string; needLogin?: boolean }>
  subPackages?: Array<{ root: string; pages?: Array<{ path: string; needLogin?: boolean }> }>
}

/** The pages marked `"needLogin": true` in pages.json (main package and sub-packages). */
export function pagesNeedingLogin(pagesJson: PagesJson): string[] {
  const main = (pagesJson.pages ?? []).filter((page) => page.needLogin).map((page) => pathOf(page.path))
  const sub = (pagesJson.subPackages ?? []).flatMap((pkg) =>
    (pkg.pages ?? []).filter((page) => page.needLogin).map((page) => `${pathOf(pkg.root)}/${pathOf(page.path)}`),
  )
  return [...main, ...sub]
}
