import type { MpPageInstance, SetDataPatch } from './mp-runtime'
import { findById, type RenderedElement, type RenderedNode, renderWxml, textContent, type WxmlElement } from './wxml'

/** Reads what a page shows and taps its elements, the way the WeChat view layer would. */
export interface PageDriver {
  readonly instance: MpPageInstance
  readonly route: string
  /** The page data, with every setData patch applied. */
  readonly data: Readonly<Record<string, unknown>>
  /** Every setData call, in order. */
  readonly patches: readonly SetDataPatch[]
  /** The template bound to the current data. */
  render(): RenderedElement
  /** Text content of the element with this id, or `null` when it is not rendered. */
  text(id: string): string | null
  /** Text of each child element of the element with this id (a rendered list), or `[]`. */
  texts(id: string): string[]
  /**
   * Taps the element with this id: a `tap` event bubbles from it to the root, calling each
   * `bindtap` / `catchtap` handler on the way (a `catch` stops it), with WeChat's event shape.
   * uni-app runs tap handlers on a zero-delay timer, so advance time after tapping.
   */
  tap(id: string, detail?: Record<string, unknown>): void
  /**
   * Fires a component event on the element with this id, as the WeChat view does for
   * `bind<name>` (e.g. `getphonenumber` from `<button open-type="getPhoneNumber">`).
   */
  fire(id: string, name: string, detail?: Record<string, unknown>): void
}

const BUBBLE_ATTRS = ['bindtap', 'bind:tap', 'catchtap', 'catch:tap', 'mut-bind:tap'] as const

export function createPageDriver(instance: MpPageInstance, template: WxmlElement, patches: () => readonly SetDataPatch[]): PageDriver {
  const startedAt = Date.now()
  const render = () => renderWxml(template, instance.data)

  function pathTo(node: RenderedElement, id: string, trail: RenderedElement[] = []): RenderedElement[] | null {
    const here = [...trail, node]
    if (node.attrs.id === id) return here
    for (const child of node.children) {
      if ('text' in child) continue
      const found = pathTo(child, id, here)
      if (found) return found
    }
    return null
  }

  return {
    instance,
    route: instance.route,
    get data() {
      return instance.data
    },
    get patches() {
      return patches()
    },
    render,
    text(id) {
      const element = findById(render(), id)
      return element ? textContent(element) : null
    },
    texts(id) {
      const element = findById(render(), id)
      return element ? element.children.filter(isElement).map(textContent) : []
    },
    fire(id, name, detail = {}) {
      const element = findById(render(), id)
      if (!element) throw new Error(`mp-host: no rendered element with id "${id}" on ${instance.route}`)
      const handlerName = element.attrs[`bind${name}`] ?? element.attrs[`bind:${name}`]
      const handler = typeof handlerName === 'string' ? instance[handlerName] : undefined
      if (typeof handler !== 'function') throw new Error(`mp-host: #${id} does not listen to ${name}`)
      const target = describe(element)
      ;(handler as (event: unknown) => unknown).call(instance, {
        type: name,
        timeStamp: Date.now() - startedAt,
        target,
        currentTarget: target,
        detail,
      })
    },
    tap(id, detail = { x: 0, y: 0 }) {
      const path = pathTo(render(), id)
      if (!path) throw new Error(`mp-host: no rendered element with id "${id}" on ${instance.route}`)
      const target = describe(path.at(-1)!)
      let handled = false
      for (const element of path.slice().reverse()) {
        const attr = BUBBLE_ATTRS.find((name) => name in element.attrs)
        if (!attr) continue
        const name = element.attrs[attr]
        const handler = typeof name === 'string' ? instance[name] : undefined
        if (typeof handler !== 'function') {
          throw new Error(`mp-host: #${id} binds tap to "${String(name)}", which is not a method of ${instance.route}`)
        }
        const touch = { identifier: 0, pageX: 0, pageY: 0, clientX: 0, clientY: 0, force: 1 }
        const event = {
          type: 'tap',
          timeStamp: Date.now() - startedAt,
          target: { ...target },
          currentTarget: describe(element),
          detail: { ...detail },
          touches: [touch],
          changedTouches: [touch],
          mark: {},
          mut: false,
        }
        ;(handler as (event: unknown) => unknown).call(instance, event)
        handled = true
        if (attr.startsWith('catch')) break
      }
      if (!handled) throw new Error(`mp-host: nothing on the path to #${id} listens to tap`)
    },
  }
}

function isElement(node: RenderedNode): node is RenderedElement {
  return !('text' in node)
}

/** `{ id, dataset, offsetLeft, offsetTop }`: WeChat's target; `data-foo-bar` becomes `dataset.fooBar`. */
function describe(element: RenderedElement) {
  const dataset: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(element.attrs)) {
    if (!name.startsWith('data-')) continue
    const key = name
      .slice(5)
      .toLowerCase()
      .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
    dataset[key] = value
  }
  return { id: typeof element.attrs.id === 'string' ? element.attrs.id : '', dataset, offsetLeft: 0, offsetTop: 0 }
}
