import type { LoginPlatform, StorageLike } from '../core/types.js'
import { buildProvider } from './login-target.js'

/** Options of a uni API call; the plugin reads them defensively. */
export type UniOptions = Record<string, unknown>
export type UniMethod = (options: UniOptions) => unknown

export interface UniInterceptor {
  /** Returning `false` cancels the call; anything else lets it proceed. */
  invoke?: (options: UniOptions) => unknown
}

/** The slice of the `uni` global the plugin uses; uni-app's own object, other vendors' and test doubles fit. */
export interface UniLike {
  request: UniMethod
  uploadFile?: UniMethod
  downloadFile?: UniMethod
  login?: UniMethod
  checkSession?: UniMethod
  navigateTo?: UniMethod
  redirectTo?: UniMethod
  reLaunch?: UniMethod
  switchTab?: UniMethod
  getStorageSync(key: string): unknown
  setStorageSync(key: string, value: unknown): void
  removeStorageSync(key: string): void
  addInterceptor(method: string, interceptor: UniInterceptor): void
  removeInterceptor(method: string, interceptor?: UniInterceptor): void
}

/**
 * The app's `uni`, looked up lazily so the plugin can be imported where `uni` does not exist yet.
 * Every API is named: uni-app's H5 production build tree-shakes its API, leaving the global empty
 * and compiling each written `uni.xxx` into an import. A missing API (`login` on H5) stays undefined.
 * The navigation APIs are the guard's business: it names them itself, so apps without it pay nothing.
 */
export function globalUni(): UniLike | undefined {
  if (typeof uni === 'undefined') return undefined
  return {
    request: uni.request,
    uploadFile: uni.uploadFile,
    downloadFile: uni.downloadFile,
    login: uni.login,
    checkSession: uni.checkSession,
    getStorageSync: uni.getStorageSync,
    setStorageSync: uni.setStorageSync,
    removeStorageSync: uni.removeStorageSync,
    addInterceptor: uni.addInterceptor,
    removeInterceptor: uni.removeInterceptor,
  } as unknown as UniLike
}

/** `uni.login` and `uni.checkSession` as the engine's platform; `getCode` replaces `uni.login` (H5). */
export function uniPlatform(uniApi: UniLike, getCode?: () => Promise<string>): LoginPlatform {
  return {
    getCode:
      getCode ??
      (() =>
        new Promise((resolve, reject) => {
          if (!uniApi.login) throw new Error('uni.login is missing here (H5?): pass `getCode` to createUniAuth')
          const options: UniOptions = {
            // The mini-programs' provider is their name: `mp-weixin` → `weixin`, `mp-alipay` → `alipay`, …
            // Folded by uni's build (like the App's checks below): mp-weixin keeps only its literal.
            provider: process.env.UNI_PLATFORM === 'mp-weixin' ? 'weixin' : buildProvider(),
            // Alipay names it authCode; everyone else code. The engine rejects a missing one.
            success: (result: { code?: string; authCode?: string }) => resolve((result.code ?? result.authCode) as string),
            fail: reject,
          }
          // WeChat's open-platform login on the App: only authorize, so the code comes to our backend
          // instead of being traded by uniCloud.
          if (process.env.UNI_PLATFORM === 'app') options.onlyAuthorize = true
          uniApi.login(options)
        })),
    checkSession: () =>
      new Promise((resolve) => {
        // Alipay and H5 have no checkSession, and the App's WeChat login keeps no mini-program session to
        // check (a literal comparison: other builds drop it): "unknown" defers to the token and the 401 path.
        if (!uniApi.checkSession || process.env.UNI_PLATFORM === 'app') return resolve('unknown')
        uniApi.checkSession({
          success: () => resolve('valid'),
          fail: ({ errMsg }: { errMsg?: string } = {}) =>
            resolve(/not support|unsupport|not implement/i.test(String(errMsg)) ? 'unknown' : 'expired'),
        })
      }),
  }
}

/** uni's synchronous storage as the engine's `StorageLike`; anything but a string counts as absent. */
export function uniStorage(uniApi: UniLike): StorageLike {
  return {
    getItem: (key) => {
      const value = uniApi.getStorageSync(key)
      return typeof value === 'string' && value !== '' ? value : null
    },
    setItem: (key, value) => uniApi.setStorageSync(key, value),
    removeItem: (key) => uniApi.removeStorageSync(key),
  }
}
