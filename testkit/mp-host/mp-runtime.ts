import { join, relative } from 'node:path'
import { type ComponentDefinition, type ExparserNode, loadSimulator, type RenderedComponent, type Simulator } from './simulator'

/** Options an app registers; members are whatever the build put there. */
export type MpOptions = Record<string, unknown>
type Hook = (this: object, ...args: unknown[]) => unknown

/** A page instance as the framework code sees it (`this` inside its lifetimes and methods). */
export interface MpPageInstance {
  readonly route: string
  /** The query the page was opened with. */
  readonly options: Record<string, string>
  /** The page's data, every `setData` applied (WeChat's framework applies them). */
  readonly data: Record<string, unknown>
  setData(patch: Record<string, unknown>, callback?: () => void): void
  [member: string]: unknown
}

export interface LaunchOptions {
  path: string
  query: Record<string, string>
  scene: number
  referrerInfo: Record<string, unknown>
}

/**
 * The globals of WeChat's logic layer the simulator does not define: `App`, `getApp`,
 * `getCurrentPages`, a `Page` (uni-app's vendor.js wraps it at load, though uni registers pages with
 * `Component()`), and a `Component` that hands each definition to the simulator.
 */
export interface MpGlobals {
  App(options: MpOptions): void
  Page(options: MpOptions): void
  Component(options: ComponentDefinition): unknown
  getApp(options?: { allowDefault?: boolean }): MpOptions | undefined
  getCurrentPages(): MpPageInstance[]
}

export interface MpRuntime {
  readonly globals: MpGlobals
  /**
   * Runs a page's file (and those of the components it uses) and registers them with the framework,
   * as WeChat does for every page of app.json at launch; `openPage` registers a page not seen yet.
   */
  register(route: string): void
  readonly app: MpOptions | undefined
  /** App onLaunch, then App onShow, with these launch options. */
  launch(options: LaunchOptions): void
  /** The page stack, bottom first, as `getCurrentPages()` returns it. */
  readonly stack: readonly MpPageInstance[]
  /** Renders the page on top of the stack: created → attached → onLoad → onShow → ready, as WeChat orders them. */
  openPage(route: string, query?: Record<string, string>): MpPageInstance
  /** The page's rendered tree (exparser's), for reading and tapping. */
  viewOf(page: MpPageInstance): ExparserNode
  /** Page onHide; the page stays in the stack (another page covers it, or another tab is shown). */
  hidePage(page: MpPageInstance): void
  /** Page onShow (it is visible again). */
  showPage(page: MpPageInstance): void
  /** Page onUnload, then detached; the page leaves the stack. */
  unloadPage(page: MpPageInstance): void
  /** The app goes to the background: page onHide, then App onHide. */
  hide(): void
  /** Back to the foreground: App onShow, then page onShow. */
  show(options: LaunchOptions): void
}

/**
 * @param distDir the build's root
 * @param run executes one file of the build (a path relative to `distDir`, `.js` included)
 */
export function createMpRuntime(distDir: string, run: (file: string) => unknown): MpRuntime {
  const simulator: Simulator = loadSimulator()
  const pages: MpPageInstance[] = []
  const views = new Map<MpPageInstance, RenderedComponent>()
  /** simulate.load's id of each page route, loaded once per runtime. */
  const pageIds = new Map<string, string>()
  /** Definitions each file passed to `Component()`: a component used by a second page registers again from these. */
  const definitions = new Map<string, ComponentDefinition[]>()
  let loading: { file: string; pagePath: string } | null = null
  let opening: { route: string; query: Record<string, string> } | null = null
  let app: MpOptions | undefined
  let webviewIds = 0

  /** uni-app tells pages from components by `route` (vendor.js `isPage`); WeChat sets it, and `options`, before any lifetime. */
  const pageBehavior = simulator.simulate.behavior({
    lifetimes: {
      created(this: Record<string, unknown>) {
        if (!opening) return
        this.route = opening.route
        this.options = opening.query
        this.__wxWebviewId__ = ++webviewIds
      },
    },
  })

  function register(file: string, definition: ComponentDefinition): unknown {
    const isPage = loading?.pagePath === file
    const behaviors = Array.isArray(definition.behaviors) ? definition.behaviors : []
    return simulator.Component(isPage ? { ...definition, behaviors: [pageBehavior, ...behaviors] } : { ...definition })
  }

  const globals: MpGlobals = {
    App(options) {
      if (app) throw new Error('mp-host: App() called twice')
      // WeChat's app instance carries the options' members; `this` in the hooks is that instance.
      app = { ...options }
    },
    Page() {
      throw new Error(
        'mp-host: Page() is not supported; uni-app builds register pages with Component(), which the host runs in WeChat’s framework',
      )
    },
    Component(definition) {
      if (!loading) throw new Error('mp-host: Component() was called outside a page or component file')
      const file = loading.file
      definitions.set(file, [...(definitions.get(file) ?? []), definition])
      return register(file, definition)
    },
    getApp: () => app,
    getCurrentPages: () => [...pages],
  }

  function load(route: string): string {
    const known = pageIds.get(route)
    if (known) return known
    const pagePath = join(distDir, route)
    const id = simulator.load(pagePath, distDir, (file) => {
      const previous = loading
      loading = { file, pagePath }
      try {
        const seen = definitions.get(file)
        if (seen) for (const definition of seen) register(file, definition)
        else run(`${relative(distDir, file)}.js`)
      } finally {
        loading = previous
      }
    })
    pageIds.set(route, id)
    return id
  }

  function hook(target: object, owner: MpOptions | undefined, name: string, ...args: unknown[]): unknown {
    const fn = owner?.[name]
    return typeof fn === 'function' ? (fn as Hook).apply(target, args) : undefined
  }

  function view(page: MpPageInstance): RenderedComponent {
    const rendered = views.get(page)
    if (!rendered) throw new Error(`mp-host: ${page.route} is not open`)
    return rendered
  }

  /** Every custom component of the page, the page first (parents before their children). */
  function components(node: ExparserNode, out: ExparserNode[] = []): ExparserNode[] {
    if (node instanceof simulator.exparser.Component) {
      out.push(node)
      if (node.shadowRoot) components(node.shadowRoot, out)
    }
    for (const child of node.childNodes ?? []) components(child, out)
    return out
  }

  /** A page event: the page's method (`onShow`), then `pageLifetimes` of the page and of every component on it. */
  function pageEvent(page: MpPageInstance, method: string, lifetime: string): void {
    hook(page, page, method)
    for (const node of components(view(page)._exparserNode)) node.triggerPageLifeTime(lifetime)
  }

  return {
    globals,
    register: (route) => void load(route),
    get app() {
      return app
    },
    launch(options) {
      if (!app) throw new Error('mp-host: app.js did not call App()')
      hook(app, app, 'onLaunch', options)
      hook(app, app, 'onShow', options)
    },
    openPage(route, query = {}) {
      const id = load(route)
      opening = { route, query }
      let rendered: RenderedComponent
      try {
        rendered = simulator.simulate.render(id)
      } finally {
        opening = null
      }
      const instance = rendered.instance as MpPageInstance
      pages.push(instance)
      views.set(instance, rendered)
      const node = rendered._exparserNode
      simulator.exparser.Element.pretendAttached(node)
      hook(instance, instance, 'onLoad', query)
      pageEvent(instance, 'onShow', 'show')
      // Children are ready before their parents, as in WeChat.
      for (const component of components(node).reverse()) component.triggerLifeTime('ready')
      return instance
    },
    viewOf: (page) => view(page)._exparserNode,
    get stack() {
      return [...pages]
    },
    hidePage: (page) => pageEvent(page, 'onHide', 'hide'),
    showPage: (page) => pageEvent(page, 'onShow', 'show'),
    unloadPage(page) {
      hook(page, page, 'onUnload')
      simulator.exparser.Element.pretendDetached(view(page)._exparserNode)
      views.delete(page)
      pages.splice(pages.indexOf(page), 1)
    },
    hide() {
      const page = pages.at(-1)
      if (page) pageEvent(page, 'onHide', 'hide')
      if (app) hook(app, app, 'onHide')
    },
    show(options) {
      if (app) hook(app, app, 'onShow', options)
      const page = pages.at(-1)
      if (page) pageEvent(page, 'onShow', 'show')
    },
  }
}
