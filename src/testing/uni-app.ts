import { getCurrentInstance, onMounted, onUnmounted } from 'vue'

/**
 * `@dcloudio/uni-app` for component tests (`uni-mp-auth/testing/uni-app`, aliased in vitest): the
 * real module needs uni-app's own Vue runtime and fails to load under plain Vue. A page's hooks run
 * as a mounted page would see them: onLoad (with the query of `setPageQuery`), onShow and onReady
 * when the component mounts, onHide and onUnload when it unmounts. Every hook is also recorded, so
 * a test can fire any of them by hand (`fireLifecycle('onLaunch')`, `fireLifecycle('onPullDownRefresh')`).
 */
type Hook = (...args: never[]) => unknown

const registered = new Map<string, Hook[]>()
let pageQuery: Record<string, string> = {}

function lifecycle(name: string, vueHook?: typeof onMounted, args: () => unknown[] = () => []) {
  return (hook: Hook): void => {
    registered.set(name, [...(registered.get(name) ?? []), hook])
    if (vueHook && getCurrentInstance()) vueHook(() => (hook as (...a: unknown[]) => unknown)(...args()))
  }
}

export const onLaunch = lifecycle('onLaunch')
export const onLoad = lifecycle('onLoad', onMounted, () => [pageQuery])
export const onShow = lifecycle('onShow', onMounted)
export const onReady = lifecycle('onReady', onMounted)
export const onHide = lifecycle('onHide', onUnmounted)
export const onUnload = lifecycle('onUnload', onUnmounted)
export const onError = lifecycle('onError')
export const onPageNotFound = lifecycle('onPageNotFound')
export const onPullDownRefresh = lifecycle('onPullDownRefresh')
export const onReachBottom = lifecycle('onReachBottom')
export const onPageScroll = lifecycle('onPageScroll')
export const onResize = lifecycle('onResize')
export const onTabItemTap = lifecycle('onTabItemTap')
export const onBackPress = lifecycle('onBackPress')
export const onShareAppMessage = lifecycle('onShareAppMessage')
export const onShareTimeline = lifecycle('onShareTimeline')
export const onAddToFavorites = lifecycle('onAddToFavorites')

/** The query the next mounted page's onLoad receives. */
export function setPageQuery(query: Record<string, string>): void {
  pageQuery = query
}

/** Calls every hook registered under `name` so far, in order. */
export function fireLifecycle(name: string, ...args: unknown[]): void {
  for (const hook of registered.get(name) ?? []) (hook as (...a: unknown[]) => unknown)(...args)
}

/** Forgets every registered hook and the page query (between tests). */
export function resetLifecycle(): void {
  registered.clear()
  pageQuery = {}
}
