import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFakeBackend, type FakeBackend } from '../doubles/fake-backend'
import { createFakeWx, type FakeStorage, type FakeWx, type WxBehaviour } from '../doubles/fake-wx'
import { type GlobalScope, installGlobals } from './globals'
import { createFreshLoader, type FreshLoader } from './module-loader'
import { createMpRuntime, type LaunchOptions, type MpPageInstance, type MpRuntime } from './mp-runtime'
import { createPageDriver, type PageDriver } from './page-driver'
import { loadSimulator } from './simulator'

export interface MpHostOptions {
  /** The mp-weixin build to run, e.g. `dist/build/mp-weixin`. */
  distDir: string
  /** @default a new `createFakeBackend()` */
  backend?: FakeBackend
  /** The phone's storage; pass the previous host's `storage` to simulate a relaunch. @default empty */
  storage?: FakeStorage
  behaviour?: Partial<WxBehaviour>
  /**
   * Lets time pass. Pass `(ms) => vi.advanceTimersByTimeAsync(ms)` under fake timers.
   * @default a real `setTimeout` sleep
   */
  advance?: (ms: number) => Promise<unknown>
  /** @default { path: <first page>, query: {}, scene: 1001, referrerInfo: {} } */
  launchOptions?: Partial<LaunchOptions>
}

export interface UntilOptions {
  /** Give up after this much (host) time. @default 5000 */
  timeoutMs?: number
  /** @default 5 */
  stepMs?: number
  /** Named in the error when time runs out. */
  what?: string
}

/** Options of a uni callback API, as an app passes them. */
export type UniCallOptions = Record<string, unknown>

/** The compiled app's `uni` (vendor.js `index`), for calls a page of the app could make itself. */
export interface CompiledUni {
  request(options: UniCallOptions): unknown
  uploadFile(options: UniCallOptions): unknown
  downloadFile(options: UniCallOptions): unknown
  [api: string]: ((...args: never[]) => unknown) | undefined
}

export interface MpHost {
  readonly fake: FakeWx
  readonly backend: FakeBackend
  readonly storage: FakeStorage
  /** The mini-program runtime (App, the page stack, WeChat's framework rendering the pages). */
  readonly runtime: MpRuntime
  /** Available after `launch()`. */
  readonly uni: CompiledUni
  /** The first page of app.json, available after `launch()`. */
  readonly page: PageDriver
  /** The page on top of the stack now (navigations, the tabBar and going back change it). */
  readonly current: PageDriver
  /** The visible page stack, bottom first, as `route?query`. */
  readonly stack: readonly string[]
  /** What a tap on the native tabBar does: shows that tab page, without any `wx.switchTab` call. */
  tapTab(route: string): PageDriver
  /** The back button: the top page unloads and the one below shows again (no `wx.navigateBack` call). */
  back(): PageDriver
  /**
   * Loads a fresh copy of the build (fake `wx` and the mini-program globals installed first),
   * registers the pages, runs App onLaunch/onShow and opens the first page.
   */
  launch(): PageDriver
  /** The app goes to the background / comes back. */
  hide(): void
  show(): void
  advance(ms: number): Promise<void>
  /** Lets time pass in steps until `predicate()` holds; throws after `timeoutMs`. */
  until(predicate: () => boolean, options?: UntilOptions): Promise<void>
  /** Removes the globals this host installed (and those the build added). Call after every scenario. */
  dispose(): void
}

interface AppJson {
  pages: string[]
  tabBar?: { list?: Array<{ pagePath: string }> }
}

type NavigationApi = 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab'

export function createMpHost(options: MpHostOptions): MpHost {
  const { distDir } = options
  const backend = options.backend ?? createFakeBackend()
  const fake = createFakeWx({ backend, storage: options.storage, behaviour: options.behaviour })
  let loader: FreshLoader | null = null
  const runtime = createMpRuntime(distDir, (file) => {
    if (!loader) throw new Error('mp-host: call launch() first')
    return loader.require(file)
  })
  const advance = options.advance ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)))
  const appJson = JSON.parse(readFileSync(join(distDir, 'app.json'), 'utf8')) as AppJson
  const firstPage = appJson.pages[0]
  if (!firstPage) throw new Error(`mp-host: ${distDir}/app.json lists no pages`)
  const launchOptions: LaunchOptions = { path: firstPage, query: {}, scene: 1001, referrerInfo: {}, ...options.launchOptions }
  let scope: GlobalScope | null = null
  let page: PageDriver | null = null
  let uniApi: CompiledUni | null = null
  const tabs = new Set((appJson.tabBar?.list ?? []).map((item) => item.pagePath))
  /** The visible stack, bottom first; tab pages live on while hidden, as in WeChat. */
  let stack: MpPageInstance[] = []
  const tabPages = new Map<string, MpPageInstance>()
  const drivers = new WeakMap<MpPageInstance, PageDriver>()

  function driverOf(instance: MpPageInstance): PageDriver {
    let driver = drivers.get(instance)
    if (!driver) {
      driver = createPageDriver(instance, runtime.viewOf(instance), loadSimulator().exparser)
      drivers.set(instance, driver)
    }
    return driver
  }

  function open(route: string, query: Record<string, string>): MpPageInstance {
    const instance = runtime.openPage(route, query)
    if (tabs.has(route)) tabPages.set(route, instance)
    return instance
  }

  function unload(instance: MpPageInstance): void {
    runtime.unloadPage(instance)
    if (tabPages.get(instance.route) === instance) tabPages.delete(instance.route)
  }

  function showTab(route: string): void {
    const current = stack.at(-1)
    // Showing a tab closes every page above the tabs; the tab that was showing is only hidden.
    for (const instance of [...stack].reverse()) if (!tabs.has(instance.route)) unload(instance)
    if (current && tabs.has(current.route) && current.route !== route) runtime.hidePage(current)
    const existing = tabPages.get(route)
    if (existing && existing !== current) runtime.showPage(existing)
    stack = [existing ?? open(route, {})]
  }

  /** WeChat's page changes for each navigation API; a string is the `fail` reason. */
  const navigations: Record<NavigationApi, (route: string, query: Record<string, string>) => string | undefined> = {
    navigateTo(route, query) {
      if (tabs.has(route)) return 'can not navigateTo a tabbar page'
      const current = stack.at(-1)
      if (current) runtime.hidePage(current)
      stack.push(open(route, query))
    },
    redirectTo(route, query) {
      if (tabs.has(route)) return 'can not redirectTo a tabbar page'
      const current = stack.pop()
      if (current) unload(current)
      stack.push(open(route, query))
    },
    reLaunch(route, query) {
      for (const instance of [...stack].reverse()) unload(instance)
      for (const instance of tabPages.values()) unload(instance)
      stack = [open(route, query)]
      return undefined
    },
    switchTab(route) {
      if (!tabs.has(route)) return 'can not switch to no-tabBar page'
      showTab(route)
    },
  }

  /** A navigation API of the fake `wx`: recorded, then the page change and the callbacks on a later tick. */
  function navigationApi(api: NavigationApi) {
    return (options: Record<string, unknown> = {}) => {
      fake.calls.record(api, [options])
      const { route, query } = parsePageUrl(String(options.url))
      setTimeout(() => {
        const reason = navigations[api](route, query)
        const result = { errMsg: reason ? `${api}:fail ${reason}` : `${api}:ok` }
        ;(options[reason ? 'fail' : 'success'] as ((result: unknown) => void) | undefined)?.(result)
        ;(options.complete as ((result: unknown) => void) | undefined)?.(result)
      }, 0)
    }
  }

  function goBack(delta = 1): void {
    for (let i = 0; i < delta && stack.length > 1; i++) unload(stack.pop()!)
    const top = stack.at(-1)
    if (top) runtime.showPage(top)
  }

  const wx = {
    ...fake.wx,
    navigateTo: navigationApi('navigateTo'),
    redirectTo: navigationApi('redirectTo'),
    reLaunch: navigationApi('reLaunch'),
    switchTab: navigationApi('switchTab'),
    navigateBack: (options: Record<string, unknown> = {}) => {
      fake.calls.record('navigateBack', [options])
      setTimeout(() => {
        goBack(typeof options.delta === 'number' ? options.delta : 1)
        ;(options.success as ((result: unknown) => void) | undefined)?.({ errMsg: 'navigateBack:ok' })
      }, 0)
    },
  }

  function launch(): PageDriver {
    if (scope) throw new Error('mp-host: launch() called twice; create a new host for a relaunch')
    // vendor.js copies `globalThis.wx` when it loads: the fake (and its recording) must be there first.
    // The framework renders into a happy-dom document; vendor.js wraps the `Component` it finds.
    const simulator = loadSimulator()
    scope = installGlobals({ ...simulator.domGlobals, wx, ...runtime.globals }, simulator.isFrameworkGlobal)
    loader = createFreshLoader(distDir)
    loader.require('app.js')
    const vendor = loader.require('common/vendor.js') as { index?: CompiledUni }
    // vendor.js exports `index` (uni) only when some app module uses `uni` itself.
    uniApi = vendor.index ?? null
    for (const route of appJson.pages) runtime.register(route)
    runtime.launch(launchOptions)
    const instance = open(launchOptions.path, launchOptions.query)
    stack = [instance]
    page = driverOf(instance)
    return page
  }

  const host: MpHost = {
    fake,
    backend,
    storage: fake.storage,
    runtime,
    get uni() {
      if (!scope) throw new Error('mp-host: call launch() first')
      if (!uniApi) throw new Error("mp-host: this build's common/vendor.js exports no `index` (no app module uses `uni`)")
      return uniApi
    },
    get page() {
      if (!page) throw new Error('mp-host: call launch() first')
      return page
    },
    get current() {
      const top = stack.at(-1)
      if (!top) throw new Error('mp-host: call launch() first')
      return driverOf(top)
    },
    get stack() {
      return stack.map((instance) => pageUrl(instance.route, instance.options as Record<string, string>))
    },
    tapTab(route) {
      if (!tabs.has(route)) throw new Error(`mp-host: ${route} is not in app.json's tabBar`)
      showTab(route)
      return host.current
    },
    back() {
      goBack()
      return host.current
    },
    launch,
    hide: () => runtime.hide(),
    show: () => runtime.show(launchOptions),
    async advance(ms) {
      await advance(ms)
    },
    async until(predicate, { timeoutMs = 5000, stepMs = 5, what = 'condition' } = {}) {
      let waited = 0
      while (!predicate()) {
        if (waited >= timeoutMs) throw new Error(`mp-host: ${what} not reached within ${timeoutMs} ms`)
        await advance(stepMs)
        waited += stepMs
      }
    },
    dispose() {
      scope?.restore()
    },
  }
  return host
}

/** `/pages/a/index?x=1&y=2` → route `pages/a/index`, query `{ x: '1', y: '2' }`. */
function parsePageUrl(url: string): { route: string; query: Record<string, string> } {
  const [path = '', search = ''] = url.split('?', 2)
  const query: Record<string, string> = {}
  for (const pair of search.split('&').filter(Boolean)) {
    const [key = '', value = ''] = pair.split('=', 2)
    query[decodeURIComponent(key)] = decodeURIComponent(value)
  }
  return { route: path.replace(/^\/+/, ''), query }
}

function pageUrl(route: string, query: Record<string, string> = {}): string {
  const search = Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&')
  return search ? `${route}?${search}` : route
}
