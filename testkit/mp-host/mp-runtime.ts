import { setByPath } from './data-path'

/** Options an app, page or component registers; members are whatever the build put there. */
export type MpOptions = Record<string, unknown>
type Hook = (this: object, ...args: unknown[]) => unknown

/** One `setData` call as the page received it. */
export interface SetDataPatch {
  readonly patch: Readonly<Record<string, unknown>>
  readonly at: number
}

/** A page instance as the framework code sees it (`this` inside its lifetimes and methods). */
export interface MpPageInstance {
  readonly route: string
  readonly is: string
  /** The page's rendered data: every `setData` patch applied. */
  readonly data: Record<string, unknown>
  readonly properties: Record<string, unknown>
  setData(patch: Record<string, unknown>, callback?: () => void): void
  triggerEvent(name: string, detail?: unknown, options?: unknown): void
  [member: string]: unknown
}

export interface LaunchOptions {
  path: string
  query: Record<string, string>
  scene: number
  referrerInfo: Record<string, unknown>
}

/** What the WeChat runtime provides as globals: `App`, `Page`, `Component`, `getApp`, `getCurrentPages`. */
export interface MpGlobals {
  App(options: MpOptions): void
  Page(options: MpOptions): void
  Component(options: MpOptions): void
  getApp(options?: { allowDefault?: boolean }): MpOptions | undefined
  getCurrentPages(): MpPageInstance[]
}

export interface MpRuntime {
  readonly globals: MpGlobals
  /** Runs `load` with `route` as the file being evaluated, so its `Page()`/`Component()` is filed under it. */
  register(route: string, load: () => void): void
  readonly app: MpOptions | undefined
  /** App onLaunch, then App onShow, with these launch options. */
  launch(options: LaunchOptions): void
  /** The page stack, bottom first, as `getCurrentPages()` returns it. */
  readonly stack: readonly MpPageInstance[]
  /** Creates the page on top of the stack and runs created → attached → onLoad → onShow → ready. */
  openPage(route: string, query?: Record<string, string>): MpPageInstance
  /** Page onHide; the page stays in the stack (another page covers it, or another tab is shown). */
  hidePage(page: MpPageInstance): void
  /** Page onShow (it is visible again). */
  showPage(page: MpPageInstance): void
  /** Page onUnload and detached; the page leaves the stack. */
  unloadPage(page: MpPageInstance): void
  /** The app goes to the background: page onHide, then App onHide. */
  hide(): void
  /** Back to the foreground: App onShow, then page onShow. */
  show(options: LaunchOptions): void
  /** The setData patches a page received, in order. */
  patchesOf(page: MpPageInstance): readonly SetDataPatch[]
}

export function createMpRuntime(): MpRuntime {
  const definitions = new Map<string, MpOptions>()
  /** Pages registered with `Page()` (Alipay's uni runtime) rather than `Component()` (WeChat's, Douyin's). */
  const pageKind = new Set<string>()
  const pages: MpPageInstance[] = []
  const patches = new WeakMap<MpPageInstance, SetDataPatch[]>()
  let registering: string | null = null
  let app: MpOptions | undefined
  let nodeIds = 0

  function define(kind: string, options: MpOptions): void {
    if (!registering) throw new Error(`mp-host: ${kind}() was called outside a page or component file`)
    if (definitions.has(registering)) throw new Error(`mp-host: ${registering} registered twice`)
    definitions.set(registering, options)
    if (kind === 'Page') pageKind.add(registering)
  }

  const globals: MpGlobals = {
    App(options) {
      if (app) throw new Error('mp-host: App() called twice')
      // WeChat's app instance carries the options' members; `this` in the hooks is that instance.
      app = { ...options }
    },
    Page: (options) => define('Page', options),
    Component: (options) => define('Component', options),
    getApp: () => app,
    getCurrentPages: () => [...pages],
  }

  function hook(target: object, owner: MpOptions | undefined, name: string, ...args: unknown[]): unknown {
    const fn = owner?.[name]
    return typeof fn === 'function' ? (fn as Hook).apply(target, args) : undefined
  }

  function lifetime(instance: MpPageInstance, options: MpOptions, name: string): void {
    // `lifetimes.x` wins over a top-level `x`, as in WeChat.
    const lifetimes = options.lifetimes as MpOptions | undefined
    if (typeof lifetimes?.[name] === 'function') hook(instance, lifetimes, name)
    else hook(instance, options, name)
  }

  function pageEvent(instance: MpPageInstance, options: MpOptions, method: string, lifetimeName: string, ...args: unknown[]): void {
    hook(instance, instance, method, ...args)
    hook(instance, options.pageLifetimes as MpOptions | undefined, lifetimeName)
  }

  function createInstance(route: string, options: MpOptions, query: Record<string, string>): MpPageInstance {
    const properties = defaultProperties(options.properties)
    const data: Record<string, unknown> = { ...structuredClone((options.data as MpOptions | undefined) ?? {}), ...properties }
    const log: SetDataPatch[] = []
    const instance: MpPageInstance = {
      route,
      is: route,
      data,
      properties,
      options: query,
      __wxExparserNodeId__: `mp-host-${++nodeIds}`,
      __wxWebviewId__: 1,
      setData(patch, callback) {
        log.push({ patch: structuredCloneSafe(patch), at: Date.now() })
        for (const [path, value] of Object.entries(patch)) setByPath(data, path, value)
        // WeChat calls back once the view has applied the patch, never synchronously.
        if (callback) queueMicrotask(callback)
      },
      triggerEvent() {
        // A page has no parent component to hear it.
      },
      selectComponent: () => null,
      selectAllComponents: () => [],
    }
    patches.set(instance, log)
    // Component(): the page's methods sit under `methods`; Page(): at the top level, next to its hooks.
    const methods = (pageKind.has(route) ? options : (options.methods as MpOptions | undefined)) ?? {}
    for (const [name, fn] of Object.entries(methods)) if (typeof fn === 'function') instance[name] = fn
    return instance
  }

  return {
    globals,
    register(route, load) {
      registering = route
      try {
        load()
      } finally {
        registering = null
      }
    },
    get app() {
      return app
    },
    launch(options) {
      if (!app) throw new Error('mp-host: app.js did not call App()')
      hook(app, app, 'onLaunch', options)
      hook(app, app, 'onShow', options)
    },
    openPage(route, query = {}) {
      const options = definitions.get(route)
      if (!options) throw new Error(`mp-host: no Page() or Component() registered for ${route}`)
      const instance = createInstance(route, options, query)
      pages.push(instance)
      lifetime(instance, options, 'created')
      lifetime(instance, options, 'attached')
      hook(instance, instance, 'onLoad', query)
      pageEvent(instance, options, 'onShow', 'show')
      if (pageKind.has(route)) hook(instance, instance, 'onReady')
      else lifetime(instance, options, 'ready')
      return instance
    },
    get stack() {
      return [...pages]
    },
    hidePage(page) {
      pageEvent(page, definitions.get(page.route)!, 'onHide', 'hide')
    },
    showPage(page) {
      pageEvent(page, definitions.get(page.route)!, 'onShow', 'show')
    },
    unloadPage(page) {
      const options = definitions.get(page.route)!
      hook(page, page, 'onUnload')
      lifetime(page, options, 'detached')
      pages.splice(pages.indexOf(page), 1)
    },
    hide() {
      const page = pages.at(-1)
      if (page) pageEvent(page, definitions.get(page.route)!, 'onHide', 'hide')
      if (app) hook(app, app, 'onHide')
    },
    show(options) {
      if (app) hook(app, app, 'onShow', options)
      const page = pages.at(-1)
      if (page) pageEvent(page, definitions.get(page.route)!, 'onShow', 'show')
    },
    patchesOf: (page) => patches.get(page) ?? [],
  }
}

function defaultProperties(definition: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (typeof definition !== 'object' || definition === null) return out
  for (const [name, spec] of Object.entries(definition as Record<string, unknown>)) {
    out[name] = typeof spec === 'object' && spec !== null && 'value' in spec ? (spec as { value: unknown }).value : null
  }
  return out
}

function structuredCloneSafe<T>(value: T): T {
  try {
    return structuredClone(value)
  } catch {
    return value
  }
}
