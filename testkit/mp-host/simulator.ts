import { createRequire } from 'node:module'
import { Window } from 'happy-dom'
import { installGlobals } from './globals'

/**
 * WeChat's own component framework for tests: `miniprogram-simulate` (pinned in package.json), its
 * `j-component` and `miniprogram-exparser`, and the official `wcc` WXML compiler it ships. The host
 * adds what the simulator leaves out (docs/ARCHITECTURE.md, "Tests").
 */

/** A `Component()` definition as the build passes it; its members are whatever uni-app put there. */
export type ComponentDefinition = Record<string, unknown>

/** An exparser node (element, text node, component or its shadow root). */
export interface ExparserNode {
  readonly is: string
  readonly childNodes: ExparserNode[]
  readonly shadowRoot?: ExparserNode
  /** Its DOM element in the simulator's document (none for virtual nodes such as `wx:if` blocks). */
  readonly $$?: { readonly localName: string; readonly textContent: string; readonly children: ArrayLike<{ textContent: string }> }
  querySelector(selector: string): ExparserNode | null
  triggerLifeTime(name: string, args?: unknown[]): void
  triggerPageLifeTime(name: string, args?: unknown[]): void
}

/** What `simulate.render()` returns: a root component of j-component. */
export interface RenderedComponent {
  readonly instance: Record<string, unknown>
  readonly dom: unknown
  readonly _exparserNode: ExparserNode
}

interface Exparser {
  Component: abstract new (...args: never[]) => ExparserNode
  Element: {
    pretendAttached(node: ExparserNode): void
    pretendDetached(node: ExparserNode): void
    getMethodCaller(node: ExparserNode): Record<string, unknown>
  }
  Event: {
    create(type: string, detail: unknown, options: Record<string, unknown>): unknown
    dispatchEvent(target: ExparserNode, event: unknown): void
  }
}

interface Simulate {
  load(componentPath: string, options: { rootPath: string }): string
  render(id: string): RenderedComponent
  behavior(definition: Record<string, unknown>): string
}

interface Compiler {
  wxmlToJs(rootPath: string, options: { wxmlList: string[]; wxsList: string[] }): string
}

export interface Simulator {
  readonly simulate: Simulate
  readonly exparser: Exparser
  readonly compiler: Compiler
  /** The `Component` global the simulator defines: registers a definition for the file `load` is running. */
  readonly Component: (definition: ComponentDefinition) => unknown
  /**
   * Runs `simulate.load` with `run(path)` executing each page or component file (`path` without `.js`):
   * the host's own CommonJS loader, not Node's `require`, which refuses the build's files under a
   * `"type": "module"` package.json and would share vendor.js between hosts.
   */
  load(componentPath: string, rootPath: string, run: (path: string) => void): string
  /** The globals the framework reads from a browser (`window`, `document`, …), from one shared happy-dom window. */
  readonly domGlobals: Record<string, unknown>
  /**
   * Whether a global was defined by a compiled template (wcc's output sets `__WXML_GLOBAL__` and
   * friends once per process, and the templates it caches read them later): a host leaves them in place.
   */
  isFrameworkGlobal(name: string): boolean
}

let simulator: Simulator | null = null

/** Loads the simulator once per process (it registers WeChat's built-in components in its own registry). */
export function loadSimulator(): Simulator {
  if (simulator) return simulator
  const window = new Window()
  const domGlobals: Record<string, unknown> = {
    window,
    document: window.document,
    Element: window.Element,
    Node: window.Node,
    CustomEvent: window.CustomEvent,
    TouchEvent: window.TouchEvent,
    Touch: window.Touch,
  }
  const require = createRequire(import.meta.url)
  const simulatePath = require.resolve('miniprogram-simulate')
  const fromSimulate = createRequire(simulatePath)
  // Loading it sets `Component`, `Behavior` and its own `wx` as globals; keep the function, drop the globals.
  const scope = installGlobals(domGlobals)
  let simulate: Simulate
  let Component: Simulator['Component']
  try {
    simulate = fromSimulate(simulatePath) as Simulate
    Component = (globalThis as { Component?: Simulator['Component'] }).Component as Simulator['Component']
  } finally {
    scope.restore()
  }
  if (typeof Component !== 'function') {
    throw new Error('mp-host: miniprogram-simulate was loaded before the host and its Component() is gone; let the host load it first')
  }
  const utils = fromSimulate('./src/utils') as { runJs: (path: string) => void }
  const compile = fromSimulate('./src/compile') as { getWxml: (path: string, options: unknown) => unknown }
  const frameworkGlobals = new Set<string>()
  const getWxml = compile.getWxml
  compile.getWxml = (path, options) => {
    const before = new Set(Object.keys(globalThis))
    try {
      return getWxml(path, options)
    } finally {
      for (const name of Object.keys(globalThis)) if (!before.has(name)) frameworkGlobals.add(name)
    }
  }
  const exparser = createRequire(fromSimulate.resolve('j-component'))('miniprogram-exparser') as Exparser
  const compiler = fromSimulate('miniprogram-compiler') as Compiler
  simulator = {
    simulate,
    exparser,
    compiler,
    Component,
    domGlobals,
    isFrameworkGlobal: (name) => frameworkGlobals.has(name),
    load(componentPath, rootPath, run) {
      const original = utils.runJs
      utils.runJs = run
      try {
        return simulate.load(componentPath, { rootPath })
      } finally {
        utils.runJs = original
      }
    },
  }
  return simulator
}

/** A `.wxml` file the official compiler refuses, with its message. */
export class WxmlCompileError extends Error {
  constructor(
    readonly file: string,
    readonly compilerMessage: string,
  ) {
    super(`wcc rejects ${file}: ${compilerMessage.trim()} (fix the template, or the source it was compiled from)`)
    this.name = 'WxmlCompileError'
  }
}

/**
 * Compiles one `.wxml` of a build (path relative to `rootPath`, with the components its `.json` uses)
 * with WeChat's `wcc`, as the developer tools do; throws a `WxmlCompileError` when wcc refuses it.
 */
export function compileWxml(rootPath: string, file: string): void {
  const { compiler } = loadSimulator()
  try {
    compiler.wxmlToJs(rootPath, { wxmlList: [file], wxsList: [] })
  } catch (error) {
    // miniprogram-compiler prefixes wcc's stderr with a Chinese "error compiling .wxml files:".
    const message = error instanceof Error ? error.message.replace(/^[^：]*：/, '') : String(error)
    throw new WxmlCompileError(file, message)
  }
}
