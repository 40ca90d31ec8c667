/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue'

  const component: DefineComponent<object, object, unknown>
  export default component
}

interface ImportMetaEnv {
  /** Base URL of the reference backend the demo talks to. */
  readonly VITE_API_BASE?: string
  /** Base URL of the mock WeChat API (the H5 demo asks it for login codes). */
  readonly VITE_WECHAT_MOCK?: string
  /**
   * An official account's AppID: the H5 demo then logs in through WeChat OAuth (`uni-mp-auth/h5`),
   * with the mock WeChat API's authorize page. Unset: the mock mints mini-program codes directly.
   */
  readonly VITE_WECHAT_OAUTH_APPID?: string
  /** Login deadline of the demo app, in ms. */
  readonly VITE_LOGIN_TIMEOUT_MS?: string
}
