import { register } from 'node:module'
import type { UniLike } from '../../src/uni/uni-host'
import { createSimWx, type SimWx } from './sim-wx'

/**
 * uni-app's real mp-weixin API layer (interceptors, promisify, the wx proxy) over the simulated
 * `wx`: the same layer an installed app runs, so every contender pays uni's real per-call cost.
 * One load per process (the layer keeps interceptors in module state).
 */
let loaded: Promise<{ uni: UniLike; sim: SimWx }> | null = null

export function loadRealUni(): Promise<{ uni: UniLike; sim: SimWx }> {
  loaded ??= (async () => {
    register('./vue-alias-hooks.mjs', import.meta.url)
    const sim = createSimWx()
    ;(globalThis as Record<string, unknown>).wx = sim.wx
    const module = (await import('@dcloudio/uni-mp-weixin/dist/uni.api.esm.js')) as { default: unknown }
    return { uni: module.default as UniLike, sim }
  })()
  return loaded
}

export function clearInterceptors(uniApi: UniLike): void {
  for (const method of ['request', 'uploadFile', 'downloadFile']) uniApi.removeInterceptor(method)
}
