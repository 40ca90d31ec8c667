/**
 * Stand-in for `@dcloudio/uni-app` under vitest, whose real module needs uni's own Vue runtime.
 * Lifecycle hooks register into a table that tests fire by hand.
 */
type Hook = (...args: unknown[]) => unknown
const hooks = new Map<string, Hook[]>()

function register(name: string) {
  return (hook: Hook) => {
    hooks.set(name, [...(hooks.get(name) ?? []), hook])
  }
}

export const onLaunch = register('onLaunch')
export const onShow = register('onShow')
export const onHide = register('onHide')
export const onLoad = register('onLoad')

export function fireLifecycle(name: string, ...args: unknown[]): void {
  for (const hook of hooks.get(name) ?? []) hook(...args)
}

export function resetLifecycle(): void {
  hooks.clear()
}
