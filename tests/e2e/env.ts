/** What the global setup hands to the test files (via vitest's provide / inject). */
export interface E2eEnv {
  /** The H5 demo page, served from this run's build. */
  webUrl: string
  /** The H5 demo built with `VITE_WECHAT_OAUTH_APPID`: it logs in through the mock's WeChat OAuth authorize page. */
  oauthWebUrl: string
  /** The reference backend (in the setup's process), with request recording under /__e2e. */
  apiUrl: string
  /** The mock WeChat API (/__stats, /__faults). */
  mockUrl: string
  /** playwright `chromium.connect()` endpoint of the browser the setup launched. */
  wsEndpoint: string
  /** Where scenarios save screenshots (gitignored). */
  screenshotDir: string
}

/** The official account (h5-weixin) the mock knows and the backend is configured with. */
export const MOCK_OFFICIAL_ACCOUNT = { appId: 'wx0000000000mockh5', secret: 'mock-h5-secret-not-for-production' } as const

/** One request as the backend saw it (recorded by the setup's onResponse hook). */
export interface BackendCall {
  method: string
  path: string
  status: number
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eEnv
  }
}
