import type { UniLike } from '../../src/uni/uni-host'
import { createFakeWx, type FakeWx } from './fake-wx'

/**
 * uni-app's real mp-weixin API layer (`uni.api.esm.js`: interceptors, promisify, the wx proxy)
 * over a fake `wx`, so interceptor tests run against uni's true semantics rather than an imitation.
 * One load per test file: the layer keeps its interceptors in module state.
 */
export async function loadRealUni(): Promise<{ uni: UniLike; wx: FakeWx }> {
  const wx = createFakeWx()
  ;(globalThis as Record<string, unknown>).wx = wx.global
  const module = (await import('@dcloudio/uni-mp-weixin/dist/uni.api.esm.js')) as { default: unknown }
  return { uni: module.default as UniLike, wx }
}

/** Removes every interceptor, ours and the tests' own, between tests. */
export function clearInterceptors(uniApi: UniLike): void {
  for (const method of ['request', 'uploadFile', 'downloadFile', 'navigateTo', 'redirectTo', 'reLaunch', 'switchTab']) {
    uniApi.removeInterceptor(method)
  }
}
