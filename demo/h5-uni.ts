import type { UniLike } from '../src'

/**
 * The uni APIs the plugin needs, for H5 builds.
 *
 * uni-app's H5 production build tree-shakes its API (manifest `h5.optimization.treeShaking`, on by
 * default): the global is left as `window.uni = {}` and every `uni.xxx` written in app code is
 * compiled into an import of that one function. The plugin looks up the global `uni` when no `uni`
 * option is given, so on H5 it would find an empty object (`addInterceptor is not a function`).
 * Each member access below is what the build keeps.
 */
export function h5Uni(): UniLike {
  return {
    request: uni.request,
    uploadFile: uni.uploadFile,
    downloadFile: uni.downloadFile,
    getStorageSync: uni.getStorageSync,
    setStorageSync: uni.setStorageSync,
    removeStorageSync: uni.removeStorageSync,
    addInterceptor: uni.addInterceptor,
    removeInterceptor: uni.removeInterceptor,
  } as unknown as UniLike
}
