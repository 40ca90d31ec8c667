import type { App } from 'vue'
import { AuthError } from '../core/errors.js'
import { BYPASS, takeMarker, withMarker } from '../uni/request-marker.js'
import type { UniOptions } from '../uni/uni-host.js'
import { pathKey } from '../uni/url.js'
import { authContext } from '../vue/auth-context.js'

export type NavigationMethod = 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab'
const METHODS: readonly NavigationMethod[] = ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab']

export interface GuardOptions {
  /**
   * Pages that need a logged-in user: paths as in pages.json (`'pages/orders/index'`), or a
   * predicate. `pagesNeedingLogin(pagesJson)` reads `"needLogin": true` flags from pages.json.
   */
  pages: readonly string[] | ((path: string) => boolean)
  /** Where an unauthorized user goes instead, e.g. `'/pages/login/index'`. */
  loginPage: string
  /**
   * Pages that also need a bound phone number (`user.phoneBound === true`): `true` for every guarded
   * page, or a list of paths (guarded by that alone). @default false
   */
  requirePhone?: boolean | readonly string[]
}

/** Where the user wanted to go; `method: 'page'` is a page reached without a navigation API. */
interface Target {
  method: NavigationMethod | 'page'
  url: string
  /** The held navigation's own callbacks (the promise form's resolve / reject among them). */
  caller?: UniOptions
}

type Callback = ((result: unknown) => void) | undefined

/** What the page mixin sees of a page instance (H5 sets `route`, mini-programs `$scope.route`). */
interface PageVm {
  $mpType?: string
  route?: string
  $scope?: { route?: string }
}

/**
 * The navigation guard, its own entry point (`uni-mp-auth/guard`) so apps without it pay nothing:
 * `app.use(createAuthGuard({ pages, loginPage }))` after `createUniAuth`. docs/ARCHITECTURE.md
 * ("The navigation guard") explains why it watches both the navigation APIs and every page's
 * `onLoad` / `onShow`: the native tabBar, back navigation and launches never call those APIs.
 */
export function createAuthGuard(options: GuardOptions): { install(app: App): void } {
  const { pages, loginPage, requirePhone = false } = options ?? ({} as GuardOptions)
  if (typeof loginPage !== 'string' || !loginPage || !(Array.isArray(pages) || typeof pages === 'function')) {
    throw new AuthError('INVALID_OPTIONS', 'createAuthGuard() needs { pages: string[] | (path) => boolean, loginPage: string }')
  }
  const listed = (list: readonly string[]) => new Set(list.map(pathKey))
  const guarded = Array.isArray(pages) ? listed(pages) : null
  const phonePages = Array.isArray(requirePhone) ? listed(requirePhone) : null
  const needsLogin = (path: string) => (guarded ? guarded.has(path) : (pages as (path: string) => boolean)(path)) || !!phonePages?.has(path)
  const needsPhone = (path: string) => (phonePages ? phonePages.has(path) : requirePhone === true && needsLogin(path))
  const loginPath = pathKey(loginPage)

  return {
    install(app) {
      const { engine, config } = authContext()
      const apis =
        typeof uni === 'undefined'
          ? ({} as Record<NavigationMethod, undefined>)
          : { navigateTo: uni.navigateTo, redirectTo: uni.redirectTo, reLaunch: uni.reLaunch, switchTab: uni.switchTab }
      /** The guard's own navigations carry the bypass marker, so its interceptors let them through. */
      const navigate = (method: NavigationMethod, url: string, options?: UniOptions) =>
        ((config.uni[method] ?? apis[method]) as (options: UniOptions) => void)(withMarker({ ...options, url }, BYPASS))
      let pending: Target | null = null

      const authorized = (path: string) => {
        const { session } = engine
        return !!session && (!needsPhone(path) || session.user?.phoneBound === true)
      }
      const blocks = (path: string) => path !== loginPath && needsLogin(path) && !authorized(path)

      const open = ({ method, url, caller }: Target) => {
        // A page reached without an API may be a tab page, which only switchTab can open again.
        if (method === 'page') navigate('redirectTo', url, { fail: () => navigate('switchTab', `/${pathKey(url)}`) })
        // A held navigation let through as the caller made it (events, animation…): its callbacks hear the real outcome.
        else navigate(method, url, caller)
      }
      const divert = ({ method, url, caller }: Target) => {
        pending = { method, url }
        // A navigation keeps the page below it; a page entry (tab, back, launch) may have none.
        navigate(method === 'page' || method === 'reLaunch' ? 'reLaunch' : 'navigateTo', loginPage)
        // The held navigation settles once: it did not happen, the login page opened instead.
        const failure = { errMsg: `${method}:fail redirected to login by uni-mp-auth guard` }
        for (const callback of [caller?.fail, caller?.complete] as Callback[]) {
          try {
            callback?.(failure)
          } catch (error) {
            // As uni-app's own callbacks: a throwing one is the caller's bug, not the guard's.
            console.error(error)
          }
        }
      }
      const decide = (target: Target) => {
        const path = pathKey(target.url)
        const allow = () => {
          if (target.method !== 'page') open(target)
        }
        if (authorized(path)) return allow()
        // Logged in without the phone, or logged out on purpose: the login page decides, not a silent login.
        if (engine.session || engine.loggedOut) return divert(target)
        // No session yet: the page (or navigation) waits for the silent login instead of flashing the login page.
        engine.ensureSession().then(
          () => (authorized(path) ? allow() : divert(target)),
          () => divert(target),
        )
      }

      engine.subscribe(({ type }) => {
        if (type !== 'session' || !pending || !authorized(pathKey(pending.url))) return
        const target = pending
        pending = null
        // Replace the login page with the page the user wanted.
        open(target.method === 'navigateTo' ? { method: 'redirectTo', url: target.url } : target)
      })

      for (const method of METHODS) {
        config.uni.addInterceptor(method, {
          invoke(navigation: UniOptions) {
            if (takeMarker(navigation)?.kind === 'bypass') return
            const url = String(navigation.url)
            if (!blocks(pathKey(url))) return
            // uni-h5's own tabBar calls switchTab({ from: 'tabBar' }) in promise form, unawaited: no
            // caller to tell, and rejecting it would only raise an unhandled rejection.
            decide({ method, url, caller: navigation.from === 'tabBar' ? undefined : navigation })
            return false
          },
        })
      }

      /** Query of each page instance from its onLoad, for the checks on later shows. */
      const seen = new WeakMap<object, { url: string; shown: boolean }>()
      const check = ({ url }: { url: string }) => {
        if (blocks(pathKey(url))) decide({ method: 'page', url })
      }
      app.mixin({
        onLoad(this: PageVm, query?: Record<string, string>) {
          if (this.$mpType !== 'page') return
          const entry = { url: pageUrl(this.route ?? this.$scope?.route ?? '', query), shown: false }
          seen.set(this, entry)
          check(entry)
        },
        onShow(this: PageVm) {
          const entry = seen.get(this)
          if (!entry) return
          // The first show follows onLoad, which already checked; later shows are returns to the page.
          if (entry.shown) check(entry)
          entry.shown = true
        },
      })
    },
  }
}

/** `/path?query` of a page, from its route and onLoad query (mini-programs have no URLSearchParams). */
function pageUrl(route: string, query: Record<string, string> = {}): string {
  const search = Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&')
  return `/${pathKey(route)}${search ? `?${search}` : ''}`
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
