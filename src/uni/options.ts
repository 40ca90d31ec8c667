import type { BackoffOptions } from '../core/backoff'
import { AuthError } from '../core/errors'
import type { Clock, StorageLike, TokenGrant } from '../core/types'
import type { AuthResponse, InterceptedMethod } from './auth-interceptor'
import type { GuardOptions } from './navigation-guard'
import type { UniLike, UniOptions } from './uni-like'
import { normalizeBaseUrl, pathKey, resolveUrl as resolve } from './url'

/** A URL path (exact, query ignored) or a pattern tested against the request URL. */
export type SkipRule = string | RegExp

export interface UniAuthOptions {
  /**
   * Your backend's login endpoint. The default exchange POSTs `{ code }` here and expects
   * `{ token, expiresIn?, refreshToken?, user? }`. Relative to `baseUrl`. Required unless `exchange`.
   * @example '/auth/login'
   */
  loginUrl?: string
  /**
   * Custom code → token exchange, instead of `loginUrl`. If it calls `uni.request`, skip that URL.
   * @example exchange: async (code) => (await api.post('/login', { code })).data
   */
  exchange?: (code: string) => Promise<TokenGrant>
  /**
   * Endpoint that trades `{ refreshToken }` for a new grant. When set (or `refresh` is), an expired or
   * rejected token is renewed with it first, without a new `uni.login`.
   * @default undefined
   */
  refreshUrl?: string
  /** Custom refresh exchange, instead of `refreshUrl`. @default undefined */
  refresh?: (refreshToken: string) => Promise<TokenGrant>
  /**
   * Told about a logout (best effort, never awaited by `logout()`): POSTs `{ refreshToken }` with the
   * old token so the backend can revoke it.
   * @default undefined
   */
  logoutUrl?: string
  /**
   * Endpoint for `useAuth().bindPhone(code)`: POSTs `{ code }` (the `getPhoneNumber` button's
   * `detail.code`) with the token and expects `{ user }`. Relative to `baseUrl`.
   * @default undefined
   */
  phoneUrl?: string
  /**
   * Prefixed to relative request URLs. With it, only requests to this base get the token.
   * @example 'https://api.example.com'
   */
  baseUrl?: string
  /** Header that carries the token. @default 'Authorization' */
  tokenHeader?: string
  /** Header value for a token. @default (token) => `Bearer ${token}` */
  formatToken?: (token: string) => string
  /**
   * Whether a response means "your token is not accepted". uni reports every HTTP status as success,
   * so a 401 arrives here. Override for APIs that answer 200 with an error code in the body.
   * @default (response) => response.statusCode === 401
   */
  isAuthFailure?: (response: AuthResponse) => boolean
  /**
   * Requests that go out without waiting for a session and without a token. The login, refresh and
   * logout URLs are always skipped.
   * @default []
   */
  skip?: SkipRule[] | ((options: UniOptions) => boolean)
  /**
   * Navigation guard: pages that need a logged-in (optionally phone-bound) user, and the login page
   * to show instead. The diverted navigation resumes by itself once the user is authorized.
   * @default undefined (no guard)
   * @example guard: { pages: pagesNeedingLogin(pagesJson), loginPage: '/pages/login/index' }
   */
  guard?: GuardOptions
  /** The uni APIs that get the token and the 401 replay. @default ['request', 'uploadFile', 'downloadFile'] */
  intercept?: InterceptedMethod[]
  /** How many times one request is replayed after a 401. @default 1 */
  maxReplays?: number
  /** One deadline for a whole login attempt (session check + code + exchange). @default 10000 */
  loginTimeoutMs?: number
  /**
   * `'blocking'`: after a relaunch, requests wait for one `uni.checkSession` before using the stored
   * token. `'background'`: they go out with it at once while the check runs alongside (one login
   * follows in the background if the WeChat session expired). @default 'blocking'
   */
  sessionCheck?: 'blocking' | 'background'
  /** A `uni.checkSession` silent for this long counts as "unknown": the stored token is used. @default 3000 */
  checkSessionTimeoutMs?: number
  /** Renew a token this long before it expires instead of sending it. @default 30000 */
  expirySkewMs?: number
  /** After this long in the background, `uni.checkSession` runs once more. @default 300000 */
  recheckAfterBackgroundMs?: number
  /** Pause between automatic attempts after repeated failures. @default { baseMs: 1000, maxMs: 30000 } */
  backoff?: BackoffOptions
  /** Storage key of the persisted session. @default 'uni-mp-auth:session' */
  storageKey?: string
  /** `uni.login({ provider })`. @default the build target's provider (`weixin`, `alipay`, `toutiao`, `qq`, `baidu`, `kuaishou`) */
  provider?: string
  /**
   * Where login codes come from. Defaults to `uni.login`; H5 has none, so pass a provider there.
   * @default uni.login
   */
  getCode?: () => Promise<string>
  /** Logs every decision with `console.debug`, or hands it to your function. @default false */
  debug?: boolean | ((event: string, detail?: unknown) => void)
  /** The `uni` object to use; for tests and other runtimes. @default the global `uni` */
  uni?: UniLike
  /** Storage for the session; for tests. @default uni's synchronous storage */
  storage?: StorageLike
  /** Time source; for tests. @default the system clock */
  clock?: Clock
}

export interface NormalizedOptions {
  uniApi: UniLike
  baseUrl: string | undefined
  loginUrl: string | undefined
  refreshUrl: string | undefined
  logoutUrl: string | undefined
  phoneUrl: string | undefined
  tokenHeader: string
  formatToken: (token: string) => string
  isAuthFailure: (response: AuthResponse) => boolean
  shouldSkip: (options: UniOptions) => boolean
  intercept: readonly InterceptedMethod[]
  maxReplays: number
  loginTimeoutMs: number
  report: (event: string, detail?: unknown) => void
}

/** Every default of the plugin, in one place. */
export const DEFAULTS = {
  tokenHeader: 'Authorization',
  formatToken: (token: string) => `Bearer ${token}`,
  isAuthFailure: (response: AuthResponse) => response.statusCode === 401,
  intercept: ['request', 'uploadFile', 'downloadFile'] as const,
  maxReplays: 1,
  loginTimeoutMs: 10_000,
  storageKey: 'uni-mp-auth:session',
} as const

export function normalizeOptions(options: UniAuthOptions, uniApi: UniLike | undefined): NormalizedOptions {
  const invalid = (message: string): never => {
    throw new AuthError('INVALID_OPTIONS', message)
  }
  if (typeof options !== 'object' || options === null) invalid('createUniAuth() needs an options object')
  if (!uniApi) invalid('no `uni` object found: run inside a uni-app app or pass `uni` in the options')
  for (const api of ['request', 'addInterceptor', 'removeInterceptor', 'getStorageSync'] as const) {
    if (typeof uniApi?.[api] !== 'function') invalid(`the \`uni\` object has no ${api}(): pass a complete \`uni\` in the options`)
  }
  const { loginUrl, exchange, refreshUrl, logoutUrl, phoneUrl, skip = [] } = options
  if (!loginUrl && typeof exchange !== 'function') {
    invalid('set `loginUrl` (your backend login endpoint) or `exchange` (a code → token function)')
  }
  for (const [name, value] of Object.entries({ loginUrl, baseUrl: options.baseUrl, refreshUrl, logoutUrl, phoneUrl })) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) invalid(`\`${name}\` must be a non-empty string`)
  }
  const baseUrl = normalizeBaseUrl(options.baseUrl)
  const maxReplays = options.maxReplays ?? DEFAULTS.maxReplays
  if (!Number.isInteger(maxReplays) || maxReplays < 0) invalid('`maxReplays` must be a whole number ≥ 0')
  const loginTimeoutMs = options.loginTimeoutMs ?? DEFAULTS.loginTimeoutMs
  if (!(typeof loginTimeoutMs === 'number' && loginTimeoutMs > 0)) invalid('`loginTimeoutMs` must be a positive number')
  const intercept = options.intercept ?? DEFAULTS.intercept
  if (!Array.isArray(intercept) || intercept.some((m) => !DEFAULTS.intercept.includes(m))) {
    invalid(`\`intercept\` may only list ${DEFAULTS.intercept.join(', ')}`)
  }
  if (options.sessionCheck !== undefined && options.sessionCheck !== 'blocking' && options.sessionCheck !== 'background') {
    invalid("`sessionCheck` must be 'blocking' or 'background'")
  }
  const { guard } = options
  if (guard !== undefined) {
    if (typeof guard !== 'object' || guard === null) invalid('`guard` must be an object { pages, loginPage }')
    if (typeof guard.loginPage !== 'string' || guard.loginPage === '') invalid('`guard.loginPage` must be a page path')
    if (!Array.isArray(guard.pages) && typeof guard.pages !== 'function')
      invalid('`guard.pages` must be an array of page paths or a function')
  }
  const ownUrls = [loginUrl, refreshUrl, logoutUrl].filter((url): url is string => !!url).map((url) => resolve(baseUrl, url))
  return {
    uniApi: uniApi as UniLike,
    baseUrl,
    loginUrl: loginUrl && resolve(baseUrl, loginUrl),
    refreshUrl: refreshUrl && resolve(baseUrl, refreshUrl),
    logoutUrl: logoutUrl && resolve(baseUrl, logoutUrl),
    phoneUrl: phoneUrl && resolve(baseUrl, phoneUrl),
    tokenHeader: options.tokenHeader ?? DEFAULTS.tokenHeader,
    formatToken: options.formatToken ?? DEFAULTS.formatToken,
    isAuthFailure: options.isAuthFailure ?? DEFAULTS.isAuthFailure,
    shouldSkip: buildSkip(skip, ownUrls, baseUrl, invalid),
    intercept,
    maxReplays,
    loginTimeoutMs,
    report: buildReporter(options.debug),
  }
}

function buildSkip(
  skip: UniAuthOptions['skip'],
  ownUrls: string[],
  baseUrl: string | undefined,
  invalid: (message: string) => never,
): (options: UniOptions) => boolean {
  // Computed once here: this predicate runs on every intercepted request.
  const own = new Set(ownUrls.map(pathKey))
  if (typeof skip === 'function') {
    return (options) => own.has(pathKey(urlOf(options))) || skip(options)
  }
  if (!Array.isArray(skip)) return invalid('`skip` must be an array of paths/RegExps or a function')
  const skipped = new Set([
    ...own,
    ...skip.filter((rule): rule is string => typeof rule === 'string').map((path) => pathKey(resolve(baseUrl, path))),
  ])
  const patterns = skip.filter((rule): rule is RegExp => rule instanceof RegExp)
  return (options) => {
    const url = urlOf(options)
    return skipped.has(pathKey(url)) || patterns.some((re) => re.test(url))
  }
}

function buildReporter(debug: UniAuthOptions['debug']): (event: string, detail?: unknown) => void {
  if (typeof debug === 'function') return debug
  if (debug) return (event, detail) => console.debug(`[uni-mp-auth] ${event}`, detail ?? '')
  return () => {}
}

function urlOf(options: UniOptions): string {
  return typeof options.url === 'string' ? options.url : ''
}
