import type { App } from 'vue'
import { AuthError } from '../core/errors'
import type { AuthUser } from '../core/types'
import { BYPASS, takeMarker, withMarker } from '../uni/request-marker'
import type { UniOptions } from '../uni/uni-host'
import { pathKey } from '../uni/url'
import { authContext } from '../vue/auth-context'

export type NavigationMethod = 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab'
const METHODS: readonly NavigationMethod[] = ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab']

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

/**
 * The navigation guard, its own entry point (`uni-mp-auth/guard`) so apps without it pay nothing:
 * `app.use(createAuthGuard({ pages, loginPage }))` after `createUniAuth`. A navigation to a guarded
 * page waits for the silent login when there is no session yet; if the user is still not
 * authorized it opens the login page instead, and resumes the target once the user is authorized.
 */
export function createAuthGuard(options: GuardOptions): { install(app: App): void } {
  const { pages, loginPage, requirePhone } = options ?? ({} as GuardOptions)
  if (typeof loginPage !== 'string' || !loginPage || !(Array.isArray(pages) || typeof pages === 'function')) {
    throw new AuthError('INVALID_OPTIONS', 'createAuthGuard() needs { pages: string[] | (path) => boolean, loginPage: string }')
  }
  return {
    install() {
      const { engine, config, launchHooks } = authContext()
      const guarded = new Set(Array.isArray(pages) ? pages.map(pathKey) : [])
      const needsAuth = typeof pages === 'function' ? pages : (path: string) => guarded.has(path)
      const loginPath = pathKey(loginPage)
      let pending: Target | null = null

      const authorized = (user: AuthUser | null | undefined = engine.session?.user) =>
        engine.session !== null && (!requirePhone || user?.phoneBound === true)

      // The plugin's own uni has no navigation APIs unless a test injected them (see globalUni).
      const apis =
        typeof uni === 'undefined'
          ? ({} as Record<NavigationMethod, undefined>)
          : { navigateTo: uni.navigateTo, redirectTo: uni.redirectTo, reLaunch: uni.reLaunch, switchTab: uni.switchTab }
      const navigate = (method: NavigationMethod, url: string) =>
        ((config.uni[method] ?? apis[method]) as (options: UniOptions) => void)(withMarker({ url }, BYPASS))

      const divert = (target: Target) => {
        pending = target
        // A reLaunch (or the first page) has no page below it to come back to: replace the stack.
        navigate(target.method === 'reLaunch' ? 'reLaunch' : 'navigateTo', loginPage)
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

      const blocks = (path: string) => path !== loginPath && needsAuth(path) && !authorized()

      engine.subscribe(({ type }) => {
        if (type !== 'session' || !pending || !authorized()) return
        const target = pending
        pending = null
        // Replace the login page with the page the user wanted.
        navigate(target.method === 'navigateTo' ? 'redirectTo' : target.method, target.url)
      })

      for (const method of METHODS) {
        config.uni.addInterceptor(method, {
          invoke(navigation: UniOptions) {
            if (takeMarker(navigation)?.kind === 'bypass') return
            const url = String(navigation.url)
            if (!blocks(pathKey(url))) return
            decide({ method, url })
            return false
          },
        })
      }

      // The first page is opened by the platform, not through an API the interceptors see.
      launchHooks.add(({ path, query = {} }) => {
        if (!path || !blocks(pathKey(path))) return
        // Mini-program runtimes have no URLSearchParams.
        const search = Object.entries(query)
          .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
          .join('&')
        decide({ method: 'reLaunch', url: `/${pathKey(path)}${search ? `?${search}` : ''}` })
      })
    },
  }
}

interface PagesJson {
  pages?: Array<{ path: string; needLogin?: boolean }>
  subPackages?: Array<{ root: string; pages?: Array<{ path: string; needLogin?: boolean }> }>
}

/** The pages marked `"needLogin": true` in pages.json (main package and sub-packages). */
export function pagesNeedingLogin(pagesJson: PagesJson): string[] {
  const marked = (list: PagesJson['pages'] = [], root = '') =>
    list.filter((page) => page.needLogin).map((page) => [root, page.path].map(pathKey).filter(Boolean).join('/'))
  return [...marked(pagesJson.pages), ...(pagesJson.subPackages ?? []).flatMap((pkg) => marked(pkg.pages, pkg.root))]
}
