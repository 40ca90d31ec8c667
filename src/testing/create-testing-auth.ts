import type { App } from 'vue'
import { serializeSession } from '../core/persisted-session.js'
import type { AuthUser, TokenGrant } from '../core/types.js'
import { ENGINE_DEFAULTS } from '../core/engine-options.js'
import type { UniAuthOptions } from '../uni/auth-config.js'
import type { UniInterceptor, UniLike, UniOptions } from '../uni/uni-host.js'
import { createUniAuth } from '../vue/create-uni-auth.js'

/** A request as the fake backend receives it. */
export interface TestingRequest {
  api: 'request' | 'uploadFile' | 'downloadFile'
  url: string
  method: string
  data: unknown
  header: Record<string, string>
  /** The bearer token the request carried, if any. */
  token: string | null
  /** Whether that token is one the fake backend currently accepts. */
  tokenValid: boolean
}

export interface TestingResponse {
  statusCode: number
  data?: unknown
  header?: Record<string, string>
}

export interface TestingAuthOptions {
  /**
   * The session the app starts with, as if restored from storage; `null` starts logged out.
   * @default { token: 'test-token', user: { id: 'test-user' } }
   */
  session?: { token: string; user?: AuthUser | null } | null
  /**
   * Your backend for the app's own requests. @default 200 `{}` for a valid token, 401 otherwise
   */
  respond?: (request: TestingRequest) => TestingResponse | Promise<TestingResponse>
  /** What a login answers. @default `{ token: 'test-token-<n>', user }` with the session's user */
  login?: (code: string) => TokenGrant | Promise<TokenGrant>
  /** Any other `createUniAuth` option (`baseUrl`, `skip`, `engine`, …). */
  options?: Omit<Partial<UniAuthOptions>, 'login' | 'host' | 'getCode'>
}

export interface TestingAuth {
  install(app: App): void
  /** The fake `uni`, also installed as the global `uni` so components use it as they would in the app. */
  readonly uni: UniLike
  /** Every request that reached the fake backend, with the headers it carried. */
  readonly requests: TestingRequest[]
  /** How many logins the plugin performed. */
  readonly logins: number
  /** Makes the fake backend refuse every token issued so far, as if they all expired server-side. */
  expireTokens(): void
}

/**
 * The plugin for your own component tests, like Pinia's `createTestingPinia`: in-memory storage, a
 * fake login and a fake backend, and a global `uni` whose `request` / `uploadFile` / `downloadFile`
 * run through the plugin's real interceptors. A component's request waits for the session, carries
 * the token, and a 401 leads to one renewal and one replay, as in the app.
 *
 * `mount(Page, { global: { plugins: [createPinia(), createTestingAuth()] } })`
 */
export function createTestingAuth(testing: TestingAuthOptions = {}): TestingAuth {
  const { session = { token: 'test-token', user: { id: 'test-user' } }, respond, options = {} } = testing
  const accepted = new Set<string>()
  const requests: TestingRequest[] = []
  const storage = new Map<string, string>()
  let logins = 0
  if (session) {
    accepted.add(session.token)
    const user = session.user ?? null
    storage.set(
      ENGINE_DEFAULTS.storageKey,
      serializeSession({ token: session.token, expiresAt: null, renewAt: null, generation: 1, refreshToken: null, user }),
    )
  }
  const login = testing.login ?? ((): TokenGrant => ({ token: `test-token-${logins}`, user: session?.user ?? { id: 'test-user' } }))

  const backend = async (api: TestingRequest['api'], call: UniOptions): Promise<TestingResponse> => {
    const header = { ...(call.header as Record<string, string> | undefined) }
    const token = /^Bearer (.+)$/.exec(header.Authorization ?? '')?.[1] ?? null
    const request: TestingRequest = {
      api,
      url: String(call.url),
      method: String(call.method ?? (api === 'request' ? 'GET' : 'POST')),
      data: call.data,
      header,
      token,
      tokenValid: token !== null && accepted.has(token),
    }
    requests.push(request)
    return respond ? respond(request) : { statusCode: request.tokenValid ? 200 : 401, data: {} }
  }
  const uni = fakeUni(backend, storage)
  const plugin = createUniAuth({
    ...options,
    host: {
      uni,
      storage: {
        getItem: (key) => storage.get(key) ?? null,
        setItem: (k, v) => void storage.set(k, v),
        removeItem: (k) => void storage.delete(k),
      },
    },
    getCode: async () => `test-code-${++logins}`,
    login: async (code) => {
      const grant = await login(code)
      accepted.add(grant.token)
      return grant
    },
  })
  return {
    install(app) {
      ;(globalThis as { uni?: unknown }).uni = uni
      plugin.install(app)
    },
    uni,
    requests,
    get logins() {
      return logins
    },
    expireTokens: () => accepted.clear(),
  }
}

/**
 * A `uni` with uni-app's interceptor semantics for the three network APIs: `invoke` hooks run in
 * order on a copy of the options, `false` cancels the call, and a call without callbacks returns a
 * promise (uni's promisify). Answers arrive asynchronously, like a network.
 */
function fakeUni(
  backend: (api: TestingRequest['api'], call: UniOptions) => Promise<TestingResponse>,
  storage: Map<string, unknown>,
): UniLike {
  const interceptors = new Map<string, UniInterceptor[]>()
  const networkApi =
    (api: TestingRequest['api']) =>
    (options: UniOptions = {}): unknown => {
      if (!options.success && !options.fail && !options.complete) {
        return new Promise((resolve, reject) => networkApi(api)({ ...options, success: resolve, fail: reject }))
      }
      const call = { ...options }
      for (const interceptor of interceptors.get(api) ?? []) if (interceptor.invoke?.(call) === false) return
      const callback = (name: string, value: unknown) => (call[name] as ((value: unknown) => void) | undefined)?.(value)
      backend(api, call).then(
        (response) => {
          const result = { errMsg: `${api}:ok`, header: {}, ...response }
          callback('success', result)
          callback('complete', result)
        },
        (error: unknown) => {
          const result = { errMsg: `${api}:fail ${String(error)}` }
          callback('fail', result)
          callback('complete', result)
        },
      )
    }
  const navigation = (options: UniOptions) => (options.success as (() => void) | undefined)?.()
  return {
    request: networkApi('request'),
    uploadFile: networkApi('uploadFile'),
    downloadFile: networkApi('downloadFile'),
    checkSession: (options) => (options.success as () => void)(),
    navigateTo: navigation,
    redirectTo: navigation,
    reLaunch: navigation,
    switchTab: navigation,
    getStorageSync: (key) => storage.get(key) ?? '',
    setStorageSync: (key, value) => void storage.set(key, value),
    removeStorageSync: (key) => void storage.delete(key),
    addInterceptor: (method, interceptor) => void interceptors.set(method, [...(interceptors.get(method) ?? []), interceptor]),
    removeInterceptor: (method, interceptor) =>
      void interceptors.set(method, interceptor ? (interceptors.get(method) ?? []).filter((i) => i !== interceptor) : []),
  }
}
