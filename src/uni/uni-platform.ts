import type { LoginPlatform, PlatformSessionState } from '../core/types'
import type { UniLike } from './uni-like'

export interface UniPlatformOptions {
  /**
   * Passed to `uni.login({ provider })`. uni-app picks the right one per mini-program when absent.
   * @default undefined
   */
  provider?: string
}

/** `uni.login` and `uni.checkSession` as the engine's platform. */
export function createUniPlatform(uniApi: UniLike, { provider }: UniPlatformOptions = {}): LoginPlatform {
  return {
    getCode: () =>
      new Promise<string>((resolve, reject) => {
        if (typeof uniApi.login !== 'function') {
          reject(new Error('uni.login is not available on this platform; pass `getCode` to createUniAuth'))
          return
        }
        uniApi.login({
          ...(provider ? { provider } : {}),
          success: (result: { code?: unknown; authCode?: unknown }) => {
            // Alipay names it authCode; everyone else code.
            const code = result?.code ?? result?.authCode
            if (typeof code === 'string' && code !== '') resolve(code)
            else reject(new Error('uni.login succeeded without a code'))
          },
          fail: (error: unknown) => reject(error),
        })
      }),
    checkSession: () =>
      new Promise<PlatformSessionState>((resolve) => {
        // Alipay and H5 have no checkSession: "unknown" defers to the token and the 401 path.
        if (typeof uniApi.checkSession !== 'function') {
          resolve('unknown')
          return
        }
        uniApi.checkSession({
          success: () => resolve('valid'),
          fail: (error: { errMsg?: unknown }) => resolve(isUnsupported(error) ? 'unknown' : 'expired'),
        })
      }),
  }
}

function isUnsupported(error: { errMsg?: unknown } | undefined): boolean {
  return typeof error?.errMsg === 'string' && /not support|unsupport|not implement/i.test(error.errMsg)
}
