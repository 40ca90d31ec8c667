import { register } from 'node:module'
import type { UniLike } from '../../src/uni/uni-host'
import { createFakeWx, type FakeWx, type FakeWxOptions } from '../doubles/fake-wx'

export interface RealUni {
  uni: UniLike
  /** The fake behind it: `reset()` it for each scenario, never replace it (uni copied its functions). */
  wx: FakeWx
}

let loaded: Promise<RealUni> | null = null

/**
 * uni-app's real mp-weixin API layer (`uni.api.esm.js`: interceptors, promisify, the wx proxy) over
 * the fake `wx`, so tests and benchmarks run against uni's true semantics rather than an imitation.
 * Loaded once per module context (a test file, the bench process): the layer keeps its interceptors
 * in module state and copies the `wx` functions it sees, so later scenarios reset the same fake.
 *
 * The layer imports `vue` for `injectHook`, which only uni's own Vue runtime exports: vitest's config
 * points that import there; in plain Node (the bench) a module hook does.
 */
export function loadRealUni(options: Partial<FakeWxOptions> = {}): Promise<RealUni> {
  loaded ??= (async () => {
    if (!process.env.VITEST) register('./uni-vue-hook.mjs', import.meta.url)
    const wx = createFakeWx(options)
    ;(globalThis as Record<string, unknown>).wx = wx.wx
    const module = (await import('@dcloudio/uni-mp-weixin/dist/uni.api.esm.js')) as { default: unknown }
    return { uni: module.default as UniLike, wx }
  })()
  return loaded
}

/** Removes every interceptor, ours and the tests' own, between scenarios. */
export function clearInterceptors(uniApi: UniLike): void {
  for (const method of ['request', 'uploadFile', 'downloadFile', 'navigateTo', 'redirectTo', 'reLaunch', 'switchTab']) {
    uniApi.removeInterceptor(method)
  }
}

const NAMED_APIS = [
  'request',
  'uploadFile',
  'downloadFile',
  'login',
  'checkSession',
  'navigateTo',
  'redirectTo',
  'reLaunch',
  'switchTab',
  'getStorageSync',
  'setStorageSync',
  'removeStorageSync',
  'removeInterceptor',
] as const

export interface AppUni extends RealUni {
  /** The APIs an interceptor was added to, in the order they got one. */
  intercepted: string[]
}

/**
 * The real layer as an app sees its global `uni`: a plain object of named APIs, with no interceptor
 * and a fresh phone behind it (answers on the next microtask). `addInterceptor` notes its API first.
 */
export async function freshAppUni(): Promise<AppUni> {
  const { uni, wx } = await loadRealUni()
  clearInterceptors(uni)
  wx.reset({ behaviour: { latencyMs: 0 } })
  const intercepted: string[] = []
  const named = Object.fromEntries(NAMED_APIS.map((api) => [api, uni[api]])) as unknown as UniLike
  named.addInterceptor = (method, interceptor) => {
    intercepted.push(method)
    uni.addInterceptor(method, interceptor)
  }
  return { uni: named, wx, intercepted }
}
