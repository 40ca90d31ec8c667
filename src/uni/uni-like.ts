/**
 * The slice of the `uni` global the plugin uses, typed loosely enough that uni-app's own object,
 * a test double and other vendors' `uni` all fit. Callback payloads stay `unknown` on purpose:
 * the plugin inspects them defensively.
 */
export interface UniCallbacks {
  success?: (result: never) => void
  fail?: (error: never) => void
  complete?: (result: never) => void
}

export type UniOptions = Record<string, unknown>
export type UniMethod = (options: UniOptions) => unknown

export interface UniInterceptor {
  /** Returning `false` cancels the call; anything else lets it proceed. */
  invoke?: (options: UniOptions) => unknown
  success?: (result: unknown) => unknown
  fail?: (error: unknown) => unknown
  complete?: (result: unknown) => unknown
}

export interface UniLike {
  request: UniMethod
  uploadFile?: UniMethod
  downloadFile?: UniMethod
  login?: UniMethod
  navigateTo?: UniMethod
  redirectTo?: UniMethod
  reLaunch?: UniMethod
  switchTab?: UniMethod
  checkSession?: UniMethod
  getStorageSync(key: string): unknown
  setStorageSync(key: string, value: unknown): void
  removeStorageSync(key: string): void
  addInterceptor(method: string, interceptor: UniInterceptor): void
  removeInterceptor(method: string, interceptor?: UniInterceptor): void
}

/**
 * The app's `uni`, looked up lazily so the plugin can be imported where `uni` does not exist yet.
 * Every API is named explicitly: uni-app's H5 production build tree-shakes its API, leaving the
 * global as an empty object and compiling each written `uni.xxx` into an import of that function.
 * An API missing on the platform (e.g. `login` on H5) stays `undefined`.
 */
export function globalUni(): UniLike | undefined {
  if (typeof uni === 'undefined') return undefined
  return {
    request: uni.request,
    uploadFile: uni.uploadFile,
    downloadFile: uni.downloadFile,
    login: uni.login,
    checkSession: uni.checkSession,
    navigateTo: uni.navigateTo,
    redirectTo: uni.redirectTo,
    reLaunch: uni.reLaunch,
    switchTab: uni.switchTab,
    getStorageSync: uni.getStorageSync,
    setStorageSync: uni.setStorageSync,
    removeStorageSync: uni.removeStorageSync,
    addInterceptor: uni.addInterceptor,
    removeInterceptor: uni.removeInterceptor,
  } as unknown as UniLike
}
