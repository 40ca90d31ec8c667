import { ENGINE_DEFAULTS, type EngineOptions } from '../core/engine-options.js'
import { AuthError } from '../core/errors.js'
import type { AuthEventListener } from '../core/events.js'
import type { Clock, LoginExchange, RefreshExchange, Session, StorageLike } from '../core/types.js'
import { type LoginTarget, loginFields } from './login-target.js'
import { postJson, requestGrant, type UniResponse } from './own-requests.js'
import { globalUni, type UniLike, type UniOptions } from './uni-host.js'
import { originOf, pathKey, resolveUrl } from './url.js'

/** A URL path (exact, query ignored) or a pattern tested against the request URL. */
export type SkipRule = string | RegExp

/** The success payload of `uni.request` / `uploadFile` / `downloadFile`, as `isAuthFailure` sees it. */
export type AuthResponse = Partial<UniResponse> & Record<string, unknown>

/** The options of `createUniAuth()`. Only `login` is required. */
export interface UniAuthOptions {
  /**
   * How a login code becomes your backend's token. A URL (relative to `baseUrl`) receives a POST
   * `{ code, platform?, appId? }` (see `target`) and answers `{ token, expiresIn?, refreshToken?, user? }`; or pass your own function.
   * If that function calls `uni.request`, add its URL to `skip`.
   * @example '/auth/login'
   */
  login: string | LoginExchange
  /**
   * How a refresh token becomes a new token, without a new `wx.login`: a URL receiving a POST
   * `{ refreshToken }` (same answer as `login`), or a function. A refused refresh falls back to a
   * full login. @default none: a stale or refused token always means a full login
   */
  refresh?: string | RefreshExchange
  /**
   * Who hears of a `logout()` (best effort, never awaited): a URL receiving a POST with the ended
   * session's token (and `{ refreshToken }` when it had one), or a function of the ended session.
   * @default none
   */
  logout?: string | ((session: Session) => Promise<unknown>)
  /**
   * Prefixed to relative URLs. The token only goes to URLs under it (or, without it, to the origin of
   * an absolute `login` URL; with a relative or function `login` and no `baseUrl`, to every URL, so
   * set it whenever the app calls other hosts). @example 'https://api.example.com'
   */
  baseUrl?: string
  /**
   * Where login codes come from instead of `uni.login`. H5 has no `uni.login`, so H5 builds need it.
   * @default uni.login with the build target's provider
   */
  getCode?: () => Promise<string>
  /**
   * What the `login` URL is told besides the code: `platform`, the build target the code comes from,
   * and `appId`, for a backend with several AppIDs of that target. Not used by a `login` function.
   * @default platform: the build target's (`mp-alipay`, `mp-toutiao`, App → `app-weixin`; none on
   * mp-weixin, the backend's default; on H5 the code source's: `h5-weixin` with `uni-mp-auth/h5`, else
   * none); appId: the code source's, else none
   */
  target?: LoginTarget
  /**
   * The headers that carry the token; called once per token, not per request.
   * @default (token) => ({ Authorization: `Bearer ${token}` })
   */
  header?: (token: string) => Record<string, string>
  /**
   * Whether a response means "your token is not accepted". uni reports every HTTP status as success,
   * so a 401 arrives here. Override for APIs that answer 200 with an error code in the body.
   * @default (response) => response.statusCode === 401
   */
  isAuthFailure?: (response: AuthResponse) => boolean
  /** Requests that go out at once and without the token (public endpoints). @default [] */
  skip?: readonly SkipRule[] | ((options: UniOptions) => boolean)
  /** How often one request is replayed after an auth failure; `0` hands the 401 to the caller. @default 1 */
  maxReplays?: number
  /** Timeouts, backoff, renewal and session-check policy of the session engine: see `EngineOptions`. */
  engine?: EngineOptions
  /** Receives every `AuthEvent` (logins with their reason and outcome, status changes, logouts). */
  onEvent?: AuthEventListener
  /** Prints every `AuthEvent` with `console.debug`, one line each. @default false */
  debug?: boolean
  /** What the plugin runs on; for tests and other runtimes. @default the global `uni`, its storage, the system clock */
  host?: { uni?: UniLike; storage?: StorageLike; clock?: Clock }
}

/** Every default of `createUniAuth()`, in one place (the engine's are `DEFAULTS.engine`). */
export const DEFAULTS = {
  header: (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` }),
  isAuthFailure: (response: AuthResponse): boolean => response.statusCode === 401,
  skip: [] as readonly SkipRule[],
  maxReplays: 1,
  debug: false,
  engine: ENGINE_DEFAULTS,
} as const

/** The options after normalization: the one shape every part of the plugin reads. */
export interface AuthConfig extends Pick<UniAuthOptions, 'getCode' | 'target' | 'engine' | 'onEvent' | 'debug' | 'host'> {
  uni: UniLike
  baseUrl: string | undefined
  /** Only URLs under it get the token; `undefined` means every URL. */
  tokenScope: string | undefined
  login: LoginExchange
  refresh: RefreshExchange | undefined
  notifyLogout: ((session: Session) => Promise<unknown>) | undefined
  header: (token: string) => Record<string, string>
  isAuthFailure: (response: AuthResponse) => boolean
  /** True for requests that go out untouched: `skip`, and the plugin's own endpoints. */
  skips: (options: UniOptions) => boolean
  maxReplays: number
}

/**
 * The types each option accepts (`!` marks the required one). Checked in one loop, which also names
 * options that do not exist (such as the 0.1 names `loginUrl` or `exchange`) instead of ignoring them.
 */
const SHAPE: Record<keyof UniAuthOptions, string> = {
  login: 'string|function!',
  refresh: 'string|function',
  logout: 'string|function',
  baseUrl: 'string',
  getCode: 'function',
  target: 'object',
  header: 'function',
  isAuthFailure: 'function',
  skip: 'array|function',
  maxReplays: 'number',
  engine: 'object',
  onEvent: 'function',
  debug: 'boolean',
  host: 'object',
}

function invalidOptions(message: string): AuthError {
  return new AuthError('INVALID_OPTIONS', `createUniAuth(): ${message} (see "Options" in the README)`)
}

/** Development builds only: every option's type, unknown options, and the values that need more. */
function assertOptions(options: UniAuthOptions): void {
  for (const key of new Set([...Object.keys(Object(options)), ...Object.keys(SHAPE)])) {
    const shape = SHAPE[key as keyof UniAuthOptions]
    if (!shape) throw invalidOptions(`\`${key}\` is not an option`)
    const value = (options as unknown as Record<string, unknown>)[key]
    const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
    if (value === undefined ? shape.endsWith('!') : !shape.includes(type) || value === '') {
      throw invalidOptions(`\`${key}\` must be ${shape.replace('!', '')}`)
    }
  }
  const { maxReplays = 1, skip, target = {} } = options
  for (const [key, value] of Object.entries(target)) {
    if (!['platform', 'appId'].includes(key) || (value !== undefined && (typeof value !== 'string' || value === ''))) {
      throw invalidOptions(`\`target\` may only name a \`platform\` and an \`appId\`, each a non-empty string`)
    }
  }
  if (!Number.isInteger(maxReplays) || maxReplays < 0) throw invalidOptions('`maxReplays` must be a whole number ≥ 0')
  if (Array.isArray(skip) && skip.some((rule) => typeof rule !== 'string' && !(rule instanceof RegExp))) {
    throw invalidOptions('`skip` may only list URL paths and RegExps')
  }
}

export function normalizeOptions(options: UniAuthOptions): AuthConfig {
  if (process.env.NODE_ENV !== 'production') assertOptions(options)
  const { login, refresh, logout, skip = [], maxReplays = 1, host = {} } = options
  const api = (host.uni ?? globalUni()) as UniLike
  // Checked in production too: an H5 build whose global uni lost its APIs fails here, not later.
  for (const name of ['request', 'addInterceptor', 'removeInterceptor', 'getStorageSync'] as const) {
    if (typeof Object(api)[name] !== 'function')
      throw invalidOptions(`uni.${name} is missing: run inside a uni-app app or pass a complete host.uni`)
  }
  const baseUrl = options.baseUrl?.replace(/\/+$/, '')
  const urls: string[] = []
  /** An endpoint option: a URL resolved against baseUrl (and always skipped), or the app's own function. */
  const endpoint = <F>(value: string | F | undefined, fromUrl: (url: string) => F): F | undefined => {
    if (typeof value !== 'string') return value
    const url = resolveUrl(baseUrl, value)
    urls.push(url)
    return fromUrl(url)
  }
  const header = options.header ?? DEFAULTS.header
  return {
    ...options,
    uni: api,
    baseUrl,
    tokenScope: baseUrl ?? (typeof login === 'string' ? originOf(login) : undefined),
    login: endpoint(login, (url) => {
      const fields = loginFields(options.target, options.getCode)
      return (code: string) => requestGrant(api, url, { code, ...fields })
    }) as LoginExchange,
    refresh: endpoint(refresh, (url) => (refreshToken: string) => requestGrant(api, url, { refreshToken })),
    notifyLogout: endpoint(
      logout,
      (url) => (ended: Session) => postJson(api, url, ended.refreshToken ? { refreshToken: ended.refreshToken } : {}, header(ended.token)),
    ),
    header,
    isAuthFailure: options.isAuthFailure ?? DEFAULTS.isAuthFailure,
    // After the endpoints above: they registered their URLs, which are always skipped.
    skips: buildSkip(skip, urls, baseUrl),
    maxReplays,
  }
}

function buildSkip(
  skip: NonNullable<UniAuthOptions['skip']>,
  ownUrls: string[],
  baseUrl: string | undefined,
): (options: UniOptions) => boolean {
  // Built once: the predicate runs on every intercepted request.
  const paths = new Set(ownUrls.map(pathKey))
  const urlOf = (options: UniOptions) => String(options.url)
  if (typeof skip === 'function') return (options) => paths.has(pathKey(urlOf(options))) || skip(options)
  const patterns = skip.filter((rule): rule is RegExp => typeof rule !== 'string')
  for (const rule of skip) if (typeof rule === 'string') paths.add(pathKey(resolveUrl(baseUrl, rule)))
  return (options) => {
    const url = urlOf(options)
    return paths.has(pathKey(url)) || patterns.some((pattern) => pattern.test(url))
  }
}
