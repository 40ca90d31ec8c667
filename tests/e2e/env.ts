/** What the global setup hands to the test files (via vitest's provide / inject). */
export interface E2eEnv {
  /** The H5 demo page, served from this run's build. */
  webUrl: string
  /** The reference backend (in the setup's process), with request recording under /__e2e. */
  apiUrl: string
  /** The mock WeChat API (/__stats, /__faults). */
  mockUrl: string
  /** playwright `chromium.connect()` endpoint of the browser the setup launched. */
  wsEndpoint: string
  /** Where scenarios save screenshots (gitignored). */
  screenshotDir: string
}

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
