/** Options an app or page registers; members are whatever the build put there. */
export type MpOptions = Record<string, unknown>
type Hook = (this: object, ...args: unknown[]) => unknown

/** A page instance as uni-app's runtime sees it (`this` inside its hooks and methods). */
export interface VendorPage {
  readonly route: string
  /** The page's data with every `setData` patch applied (nothing is rendered from it). */
  readonly data: Record<string, unknown>
  setData(patch: Record<string, unknown>, callback?: () => void): void
  [member: string]: unknown
}

/** What the Alipay and Douyin runtimes provide as globals (the subset uni-app's build calls). */
export interface VendorGlobals {
  App(options: MpOptions): void
  Page(options: MpOptions): void
  Component(options: MpOptions): void
  getApp(): MpOptions | undefined
  getCurrentPages(): VendorPage[]
}

export interface VendorRuntime {
  readonly globals: VendorGlobals
  /** Runs `load` with `route` as the file being evaluated, so its `Page()` / `Component()` is filed under it. */
  register(route: string, load: () => void): void
  /** App onLaunch, then App onShow. */
  launch(options: Record<string, unknown>): void
  /** Creates the page and runs its lifecycle up to ready. */
  openPage(route: string, query?: Record<string, string>): VendorPage
}

/**
 * A script-only mini-program runtime: the app and its pages go through their lifecycles, `setData`
 * updates `data`, and no template is rendered. uni-app registers Alipay pages with `Page()` (hooks
 * and methods at the top level: onLoad → onShow → onReady) and Douyin pages, like WeChat's, with
 * `Component()` (methods under `methods`, lifetimes created → attached → … → ready).
 */
export function createVendorRuntime(): VendorRuntime {
  const definitions = new Map<string, { kind: 'Page' | 'Component'; options: MpOptions }>()
  const pages: VendorPage[] = []
  let registering: string | null = null
  let app: MpOptions | undefined

  function define(kind: 'Page' | 'Component', options: MpOptions): void {
    // A component file loaded by a page registers outside `register()`: scripts only, so it is not kept.
    if (registering && !definitions.has(registering)) definitions.set(registering, { kind, options })
  }

  const call = (target: object, owner: MpOptions | undefined, name: string, ...args: unknown[]): unknown => {
    const fn = owner?.[name]
    return typeof fn === 'function' ? (fn as Hook).apply(target, args) : undefined
  }

  /** `lifetimes.x` wins over a top-level `x`, as in the runtimes. */
  const lifetime = (page: VendorPage, options: MpOptions, name: string) =>
    call(
      page,
      typeof (options.lifetimes as MpOptions | undefined)?.[name] === 'function' ? (options.lifetimes as MpOptions) : options,
      name,
    )

  return {
    globals: {
      App(options) {
        if (app) throw new Error('vendor-host: App() called twice')
        app = { ...options }
      },
      Page: (options) => define('Page', options),
      Component: (options) => define('Component', options),
      getApp: () => app,
      getCurrentPages: () => [...pages],
    },
    register(route, load) {
      registering = route
      try {
        load()
      } finally {
        registering = null
      }
    },
    launch(options) {
      if (!app) throw new Error('vendor-host: app.js did not call App()')
      call(app, app, 'onLaunch', options)
      call(app, app, 'onShow', options)
    },
    openPage(route, query = {}) {
      const definition = definitions.get(route)
      if (!definition) throw new Error(`vendor-host: no Page() or Component() registered for ${route}`)
      const { kind, options } = definition
      const data: Record<string, unknown> = { ...((options.data as MpOptions | undefined) ?? {}) }
      const page: VendorPage = {
        route,
        is: route,
        data,
        options: query,
        properties: {},
        setData(patch, callback) {
          // Top-level keys are enough for a page nothing renders.
          Object.assign(data, patch)
          if (callback) queueMicrotask(callback)
        },
        triggerEvent() {},
        selectComponent: () => null,
        selectAllComponents: () => [],
      }
      const methods = kind === 'Page' ? options : ((options.methods as MpOptions | undefined) ?? {})
      for (const [name, fn] of Object.entries(methods)) if (typeof fn === 'function') page[name] = fn
      pages.push(page)
      if (kind === 'Component') {
        lifetime(page, options, 'created')
        lifetime(page, options, 'attached')
      }
      call(page, page, 'onLoad', query)
      call(page, page, 'onShow')
      if (kind === 'Page') call(page, page, 'onReady')
      else lifetime(page, options, 'ready')
      return page
    },
  }
}
