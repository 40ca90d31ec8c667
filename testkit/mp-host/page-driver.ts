import type { MpPageInstance } from './mp-runtime'
import type { ExparserNode, Simulator } from './simulator'

/**
 * Reads what a page (or a component on it) shows and taps its elements, on the tree WeChat's
 * framework rendered. A target is an element id (`'status'`) or a selector (`'#status'`, `'.uma-clear'`).
 */
export interface ViewDriver {
  /** Text content of the first element matching the target, or `null` when none is rendered. */
  text(target: string): string | null
  /** Text of each child element of the target (a rendered list), or `[]`. */
  texts(target: string): string[]
  /** Text of every element matching a selector (`'.timeline-request'`), in document order. */
  all(selector: string): string[]
  /**
   * Taps the target: WeChat's framework dispatches a `tap` that bubbles out to the page, calling
   * each `bindtap` / `catchtap` on the way (a `catch` stops it). uni-app runs tap handlers on a
   * zero-delay timer, so let time pass after tapping.
   */
  tap(target: string, detail?: Record<string, unknown>): void
  /**
   * Fires a component event on the target, as the WeChat view does for `bind<name>`
   * (e.g. `getphonenumber` from `<button open-type="getPhoneNumber">`); it does not bubble.
   */
  fire(target: string, name: string, detail?: Record<string, unknown>): void
  /** The first custom component with this tag on the page (`'auth-timeline'`), to read and tap inside it. */
  component(tag: string): ViewDriver
}

export interface PageDriver extends ViewDriver {
  readonly instance: MpPageInstance
  readonly route: string
  /** The page data, with every `setData` applied. */
  readonly data: Readonly<Record<string, unknown>>
}

type Exparser = Simulator['exparser']

export function createPageDriver(instance: MpPageInstance, root: ExparserNode, exparser: Exparser): PageDriver {
  return {
    ...createViewDriver(instance.route, root, exparser),
    instance,
    route: instance.route,
    get data() {
      return instance.data
    },
  }
}

function createViewDriver(where: string, host: ExparserNode, exparser: Exparser): ViewDriver {
  const shadow = () => host.shadowRoot ?? host
  const find = (target: string) => shadow().querySelector(selectorOf(target))
  const found = (target: string) => {
    const node = find(target)
    if (!node) throw new Error(`mp-host: nothing matches "${target}" on ${where}`)
    return node
  }
  const touch = { identifier: 0, pageX: 0, pageY: 0, clientX: 0, clientY: 0, force: 1 }

  return {
    text(target) {
      const node = find(target)
      return node ? textOf(node) : null
    },
    texts(target) {
      const node = find(target)
      return node?.$$ ? Array.from(node.$$.children, (child) => child.textContent) : []
    },
    all(selector) {
      const nodes = (shadow() as unknown as { querySelectorAll(selector: string): ExparserNode[] }).querySelectorAll(selector)
      return nodes.map(textOf)
    },
    tap(target, detail = { x: 0, y: 0 }) {
      const event = exparser.Event.create(
        'tap',
        { ...detail },
        {
          bubbles: true,
          composed: true,
          capturePhase: true,
          extraFields: { touches: [touch], changedTouches: [touch] },
        },
      )
      exparser.Event.dispatchEvent(found(target), event)
    },
    fire(target, name, detail = {}) {
      exparser.Event.dispatchEvent(found(target), exparser.Event.create(name, { ...detail }, { bubbles: false, composed: false }))
    },
    component(tag) {
      const component = findComponent(shadow(), tag, exparser)
      if (!component) throw new Error(`mp-host: no <${tag}> component is rendered on ${where}`)
      return createViewDriver(`<${tag}> on ${where}`, component, exparser)
    },
  }
}

/** A bare name is an id, as the page drivers have always taken it. */
function selectorOf(target: string): string {
  return /^[#.[]/.test(target) ? target : `#${target}`
}

function textOf(node: ExparserNode): string {
  return node.$$ ? node.$$.textContent : (node.childNodes ?? []).map(textOf).join('')
}

/** exparser's selectors match ids and classes only: custom components are found by the tag their DOM element has. */
function findComponent(node: ExparserNode, tag: string, exparser: Exparser): ExparserNode | null {
  for (const child of node.childNodes ?? []) {
    if (child instanceof exparser.Component && child.$$?.localName === tag) return child
    const found = findComponent(child, tag, exparser)
    if (found) return found
  }
  return null
}
