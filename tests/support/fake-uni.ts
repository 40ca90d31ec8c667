import type { UniInterceptor, UniLike, UniOptions } from '../../src/uni/uni-host'

/**
 * A minimal hand-written `uni` for tests of the Vue layer, where uni's real API layer cannot load
 * (it needs uni's own Vue runtime). Interceptor behaviour is tested on the real layer elsewhere.
 */
export function createFakeUni() {
  const interceptors = new Map<string, UniInterceptor[]>()
  const storage = new Map<string, unknown>()
  const noop = (_options: UniOptions) => undefined
  const navigations: string[] = []
  const navigate = (method: string) => (options: UniOptions) => void navigations.push(`${method} ${String(options.url)}`)
  const uni: UniLike = {
    request: noop,
    uploadFile: noop,
    downloadFile: noop,
    navigateTo: navigate('navigateTo'),
    redirectTo: navigate('redirectTo'),
    reLaunch: navigate('reLaunch'),
    switchTab: navigate('switchTab'),
    login: (options) => (options.success as (r: { code: string }) => void)({ code: 'c' }),
    checkSession: (options) => (options.success as () => void)(),
    getStorageSync: (key) => storage.get(key) ?? '',
    setStorageSync: (key, value) => void storage.set(key, value),
    removeStorageSync: (key) => void storage.delete(key),
    addInterceptor: (method, interceptor) => void interceptors.set(method, [...(interceptors.get(method) ?? []), interceptor]),
    removeInterceptor: (method) => void interceptors.delete(method),
  }
  return { uni, interceptors, storage, navigations }
}
