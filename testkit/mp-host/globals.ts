/**
 * Installs globals for a scenario and puts everything back afterwards, including the globals the
 * build adds by itself (vendor.js sets `createApp`, `__VUE__`, … and replaces `wx`).
 */
export interface GlobalScope {
  restore(): void
}

/**
 * @param keep globals that stay when the scope is restored although they appeared during it: those
 *   WeChat's compiled templates define once per process (see simulator.ts)
 */
export function installGlobals(values: Record<string, unknown>, keep: (name: string) => boolean = () => false): GlobalScope {
  const target = globalThis as Record<string, unknown>
  const before = new Set(Reflect.ownKeys(globalThis))
  const saved = new Map<string, PropertyDescriptor | undefined>()
  for (const [name, value] of Object.entries(values)) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name))
    // Writable: vendor.js overwrites `wx`, `Page` and `Component` with its own wrappers.
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: true })
  }
  let restored = false
  return {
    restore() {
      if (restored) return
      restored = true
      for (const key of Reflect.ownKeys(globalThis)) {
        if (!before.has(key) && typeof key === 'string' && !keep(key)) delete target[key]
      }
      for (const [name, descriptor] of saved) {
        if (descriptor) Object.defineProperty(globalThis, name, descriptor)
        else delete target[name]
      }
    },
  }
}
