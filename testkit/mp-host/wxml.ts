/**
 * Just enough WXML to read what a compiled uni-app page shows: elements, attributes, text with
 * `{{path}}` bindings, `wx:if` / `wx:elif` / `wx:else` and `wx:for`. uni-app's compiler moves every
 * expression into the page data (`{{a}}`, `{{line.a}}`), so paths are all the templates need.
 */
export interface WxmlElement {
  tag: string
  attrs: Record<string, string>
  children: WxmlNode[]
}
export type WxmlNode = WxmlElement | { text: string }

/** An element after binding: attributes hold evaluated values, loops and conditions are resolved. */
export interface RenderedElement {
  tag: string
  attrs: Record<string, unknown>
  children: RenderedNode[]
}
export type RenderedNode = RenderedElement | { text: string }

const TOKEN = /<!--[\s\S]*?-->|<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:.@-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>|([^<]+)/g
const ATTR = /([\w:.@-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g

export function parseWxml(source: string): WxmlElement {
  const root: WxmlElement = { tag: '#root', attrs: {}, children: [] }
  const stack: WxmlElement[] = [root]
  for (const match of source.matchAll(TOKEN)) {
    const [whole, closing, opening, attrText = '', selfClosing, text] = match
    const parent = stack.at(-1)!
    if (closing) {
      if (parent.tag !== closing) throw new Error(`wxml: </${closing}> closes <${parent.tag}>`)
      stack.pop()
    } else if (opening) {
      const element: WxmlElement = { tag: opening, attrs: {}, children: [] }
      for (const [, name, dq, sq] of attrText.matchAll(ATTR)) element.attrs[name!] = dq ?? sq ?? 'true'
      parent.children.push(element)
      if (!selfClosing) stack.push(element)
    } else if (text !== undefined && text.trim() !== '') {
      parent.children.push({ text })
    } else if (!whole.startsWith('<!--') && text === undefined) {
      throw new Error(`wxml: cannot read ${whole.slice(0, 40)}`)
    }
  }
  if (stack.length !== 1) throw new Error(`wxml: <${stack.at(-1)!.tag}> is never closed`)
  return root
}

type Scope = Record<string, unknown>

export function renderWxml(template: WxmlElement, data: Scope): RenderedElement {
  return { tag: template.tag, attrs: {}, children: renderChildren(template.children, data) }
}

function renderChildren(nodes: WxmlNode[], scope: Scope): RenderedNode[] {
  const out: RenderedNode[] = []
  let chainTaken: boolean | null = null
  for (const node of nodes) {
    if ('text' in node) {
      out.push({ text: interpolate(node.text, scope) })
      chainTaken = null
      continue
    }
    const { attrs } = node
    if ('wx:if' in attrs) {
      chainTaken = truthy(bind(attrs['wx:if']!, scope))
      if (!chainTaken) continue
    } else if ('wx:elif' in attrs) {
      if (chainTaken !== false) continue
      chainTaken = truthy(bind(attrs['wx:elif']!, scope))
      if (!chainTaken) continue
    } else if ('wx:else' in attrs) {
      const skip = chainTaken !== false
      chainTaken = null
      if (skip) continue
    } else {
      chainTaken = null
    }
    if ('wx:for' in attrs) {
      const list = bind(attrs['wx:for']!, scope)
      const itemName = attrs['wx:for-item'] ?? 'item'
      const indexName = attrs['wx:for-index'] ?? 'index'
      const items = Array.isArray(list) ? list : typeof list === 'number' ? Array.from({ length: list }, (_, i) => i) : []
      items.forEach((item, index) => out.push(...renderElement(node, { ...scope, [itemName]: item, [indexName]: index })))
    } else {
      out.push(...renderElement(node, scope))
    }
  }
  return out
}

function renderElement(node: WxmlElement, scope: Scope): RenderedNode[] {
  const children = renderChildren(node.children, scope)
  if (node.tag === 'block') return children
  const attrs: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(node.attrs)) {
    if (!name.startsWith('wx:')) attrs[name] = bind(value, scope)
  }
  return [{ tag: node.tag, attrs, children }]
}

/** A whole-attribute binding keeps its type (`"{{g}}"` → the value of g); mixed text becomes a string. */
function bind(value: string, scope: Scope): unknown {
  const single = /^\s*\{\{([^{}]*)\}\}\s*$/.exec(value)
  return single ? evaluate(single[1]!, scope) : interpolate(value, scope)
}

function interpolate(text: string, scope: Scope): string {
  return text.replace(/\{\{([^{}]*)\}\}/g, (_, expr: string) => {
    const value = evaluate(expr, scope)
    if (value === undefined || value === null) return ''
    return typeof value === 'object' ? JSON.stringify(value) : String(value)
  })
}

const PATH_PART = /^(?:\.?([A-Za-z_$][\w$]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/

/** Paths (`a`, `line.a`, `m[0].b`) and literals; anything else is beyond what uni's compiler emits. */
function evaluate(expr: string, scope: Scope): unknown {
  let rest = expr.trim()
  if (/^-?\d+(\.\d+)?$/.test(rest)) return Number(rest)
  if (/^'[^']*'$|^"[^"]*"$/.test(rest)) return rest.slice(1, -1)
  if (rest === 'true' || rest === 'false') return rest === 'true'
  let value: unknown = scope
  while (rest !== '') {
    const part = PATH_PART.exec(rest)
    if (!part) throw new Error(`wxml: unsupported expression {{${expr}}}`)
    const key = part[1] ?? part[2] ?? part[3] ?? part[4]!
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
    rest = rest.slice(part[0].length)
  }
  return value
}

function truthy(value: unknown): boolean {
  return Boolean(value)
}

export function findById(node: RenderedElement, id: string): RenderedElement | null {
  if (node.attrs.id === id) return node
  for (const child of node.children) {
    if ('text' in child) continue
    const found = findById(child, id)
    if (found) return found
  }
  return null
}

export function textContent(node: RenderedNode): string {
  return 'text' in node ? node.text : node.children.map(textContent).join('')
}
