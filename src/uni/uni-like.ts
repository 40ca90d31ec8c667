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
  invoke?: (options: UniOptions) => boolean | void
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

/** The app's `uni`, looked up lazily so the plugin can be imported where `uni` does not exist yet. */
export function globalUni(): UniLike | undefined {
  return typeof uni === 'undefined' ? undefined : (uni as unknown as UniLike)
}
