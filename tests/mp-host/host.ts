import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFakeBackend, type FakeBackend } from '../support/doubles/fake-backend'
import { createFakeWx, type FakeStorage, type FakeWx, type WxBehaviour } from '../support/doubles/fake-wx'
import { type GlobalScope, installGlobals } from './globals'
import { createFreshLoader, type FreshLoader } from './module-loader'
import { createMpRuntime, type LaunchOptions, type MpRuntime } from './mp-runtime'
import { createPageDriver, type PageDriver } from './page-driver'
import { parseWxml } from './wxml'

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
  readonly runtime: MpRuntime
  /** Available after `launch()`. */
  readonly uni: CompiledUni
  /** The first page of app.json, available after `launch()`. */
  readonly page: PageDriver
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
}

export function createMpHost(options: MpHostOptions): MpHost {
  const { distDir } = options
  const backend = options.backend ?? createFakeBackend()
  const fake = createFakeWx({ backend, storage: options.storage, behaviour: options.behaviour })
  const runtime = createMpRuntime()
  const advance = options.advance ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)))
  const appJson = JSON.parse(readFileSync(join(distDir, 'app.json'), 'utf8')) as AppJson
  const firstPage = appJson.pages[0]
  if (!firstPage) throw new Error(`mp-host: ${distDir}/app.json lists no pages`)
  const launchOptions: LaunchOptions = { path: firstPage, query: {}, scene: 1001, referrerInfo: {}, ...options.launchOptions }
  let scope: GlobalScope | null = null
  let loader: FreshLoader | null = null
  let page: PageDriver | null = null
  let uniApi: CompiledUni | null = null

  function launch(): PageDriver {
    if (scope) throw new Error('mp-host: launch() called twice; create a new host for a relaunch')
    // vendor.js copies `globalThis.wx` when it loads: the fake (and its recording) must be there first.
    scope = installGlobals({ wx: fake.wx, ...runtime.globals })
    loader = createFreshLoader(distDir)
    loader.require('app.js')
    const vendor = loader.require('common/vendor.js') as { index?: CompiledUni }
    // vendor.js exports `index` (uni) only when some app module uses `uni` itself.
    uniApi = vendor.index ?? null
    for (const route of appJson.pages) runtime.register(route, () => loader!.require(`${route}.js`))
    runtime.launch(launchOptions)
    const instance = runtime.openPage(launchOptions.path, launchOptions.query)
    const template = parseWxml(readFileSync(join(distDir, `${launchOptions.path}.wxml`), 'utf8'))
    page = createPageDriver(instance, template, () => runtime.patchesOf(instance))
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
