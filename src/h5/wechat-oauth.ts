import { AuthError } from '../core/errors.js'
import type { CodeSource } from '../uni/login-target.js'

/** The slice of the browser the OAuth flow uses; `window` fits, tests pass their own. */
export interface BrowserLike {
  location: { readonly href: string; replace(url: string): void }
  history: { readonly state: unknown; replaceState(state: unknown, unused: string, url: string): void }
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void }
  crypto: { getRandomValues(array: Uint8Array): Uint8Array }
}

export interface WechatOAuthOptions {
  /** The official account's AppID; also sent to your backend as the login's `appId`. */
  appId: string
  /** Where WeChat's authorize page lives; point it at a mock in tests. @default 'https://open.weixin.qq.com' */
  authorizeBase?: string
  /** `snsapi_base` is silent (the openid, and the unionid where WeChat gives one); `snsapi_userinfo` asks the user. @default 'snsapi_base' */
  scope?: 'snsapi_base' | 'snsapi_userinfo'
  /** Where WeChat sends the user back, with `code` and `state`. @default this page's URL without `code` and `state` */
  redirectUri?: string
  /**
   * For this long after WeChat sent the tab back, at most one more automatic redirect, and none after
   * a refused `state`: a code your backend keeps refusing ends in an error instead of a redirect loop.
   * `authorize()` always redirects. @default 60000
   */
  redirectCooldownMs?: number
  /** The browser and the clock; for tests. @default globalThis, Date.now */
  host?: { browser?: BrowserLike; now?: () => number }
}

/** A `getCode` for `createUniAuth` that also redirects to WeChat on demand. */
export interface WechatOAuth extends CodeSource {
  /** Leaves for WeChat's authorize page now, whatever happened before (a "Log in with WeChat" button). */
  authorize(): void
  /**
   * True while a code WeChat sent this page waits for a login to take it. After an explicit
   * `logout()` nothing logs in by itself, so the page WeChat sent back to calls `relogin()` when this
   * is true (the login that started the redirect ended with the page it left).
   */
  readonly hasCode: boolean
}

const STATE_KEY = 'uni-mp-auth:wechat-oauth:state'
const RETURN_KEY = 'uni-mp-auth:wechat-oauth:return'

/** The latest way back from WeChat: when, whether its code was handed over, whether a redirect followed since. */
interface Return {
  at: number
  accepted: boolean
  retried: boolean
}

function parseReturn(raw: string | null): Return | undefined {
  try {
    const value = JSON.parse(raw as string) as Partial<Return> | null
    return typeof value?.at === 'number' ? { at: value.at, accepted: value.accepted === true, retried: value.retried === true } : undefined
  } catch {
    return undefined
  }
}

function failure(message: string): AuthError {
  return new AuthError('LOGIN_PLATFORM_FAILED', `WeChat OAuth: ${message}`)
}

/**
 * sessionStorage that never throws (blocked storage, a full quota): a lost state is refused like a
 * forged one, and the in-memory cooldown still keeps the page from looping.
 */
function survivable(browser: BrowserLike): BrowserLike['sessionStorage'] {
  const attempt = <T>(use: (storage: BrowserLike['sessionStorage']) => T, fallback: T): T => {
    try {
      return use(browser.sessionStorage)
    } catch {
      return fallback
    }
  }
  return {
    getItem: (key) => attempt((storage) => storage.getItem(key), null),
    setItem: (key, value) => attempt((storage) => storage.setItem(key, value), undefined),
    removeItem: (key) => attempt((storage) => storage.removeItem(key), undefined),
  }
}

/** `?a=1&b=2` of an address, without the fragment (WeChat puts `code` and `state` before `#`). */
function splitHref(href: string): { path: string; params: string[]; hash: string } {
  const hashAt = href.indexOf('#')
  const beforeHash = hashAt < 0 ? href : href.slice(0, hashAt)
  const queryAt = beforeHash.indexOf('?')
  return {
    path: queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt),
    params:
      queryAt < 0
        ? []
        : beforeHash
            .slice(queryAt + 1)
            .split('&')
            .filter(Boolean),
    hash: hashAt < 0 ? '' : href.slice(hashAt),
  }
}

/** A malformed escape (`%E0%A4%A`) is kept as written: a bad link must not break the app's start. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

const paramName = (param: string) => decode(param.split('=', 1)[0] ?? '')
const paramValue = (param: string) => decode(param.slice(param.indexOf('=') + 1 || param.length))

/**
 * WeChat official-account OAuth (H5 inside WeChat) as the login's code source. Without a code in
 * the address it leaves for WeChat's authorize page with a random `state` kept in sessionStorage;
 * back with `?code&state` it takes both out of the address bar at once (so a reload, a bookmark or a
 * shared link never carries the code again) and hands the code over only when `state` is the one it
 * stored, consuming that state: each code is handed over at most once. See "Build targets on the
 * client" in docs/ARCHITECTURE.md.
 */
export function wechatOAuth(options: WechatOAuthOptions): WechatOAuth {
  const { appId, scope = 'snsapi_base', redirectCooldownMs = 60_000 } = options
  if (typeof appId !== 'string' || appId === '') {
    throw new AuthError('INVALID_OPTIONS', 'wechatOAuth(): `appId` must be the official account’s AppID (a non-empty string)')
  }
  const browser = options.host?.browser ?? (globalThis as unknown as BrowserLike)
  const now = options.host?.now ?? Date.now
  const authorizeBase = (options.authorizeBase ?? 'https://open.weixin.qq.com').replace(/\/+$/, '')
  const storage = survivable(browser)
  /** Kept in memory too: if sessionStorage loses it, this page still does not loop. */
  let latest: Return | undefined
  /** A value, not a promise: a refusal nobody asks for (the session was restored) must not go unhandled. */
  let pending: string | AuthError | undefined = takeReturn()

  /** Reads `code` and `state` off the address bar (removing them) and judges them against the stored state. */
  function takeReturn(): string | AuthError | undefined {
    const { path, params, hash } = splitHref(browser.location.href)
    const ours = params.filter((param) => ['code', 'state'].includes(paramName(param)))
    if (ours.length === 0) return undefined
    const rest = params.filter((param) => !ours.includes(param))
    browser.history.replaceState(browser.history.state, '', `${path}${rest.length ? `?${rest.join('&')}` : ''}${hash}`)
    const found = Object.fromEntries(ours.map((param) => [paramName(param), paramValue(param)]))
    const expected = storage.getItem(STATE_KEY)
    storage.removeItem(STATE_KEY)
    const refusal = !found.code
      ? failure('WeChat sent the user back without a code (did they refuse to authorize?)')
      : !expected || found.state !== expected
        ? failure('the `state` in the address is not the one this tab sent: the code was not used (a forged or stale link)')
        : undefined
    // A redirect made since the previous return still counts: a code refused again does not earn another.
    const previous = lastReturn()
    const retried = previous?.retried === true && now() - previous.at < redirectCooldownMs
    remember({ at: now(), accepted: !refusal, retried })
    return refusal ?? found.code
  }

  function lastReturn(): Return | undefined {
    const stored = parseReturn(storage.getItem(RETURN_KEY))
    return stored && (!latest || stored.at >= latest.at) ? stored : latest
  }

  function remember(value: Return): void {
    latest = value
    storage.setItem(RETURN_KEY, JSON.stringify(value))
  }

  function authorize(): void {
    const random = browser.crypto.getRandomValues(new Uint8Array(16))
    const state = Array.from(random, (byte) => byte.toString(16).padStart(2, '0')).join('')
    storage.setItem(STATE_KEY, state)
    const { path, params, hash } = splitHref(browser.location.href)
    const back = options.redirectUri ?? `${path}${params.length ? `?${params.join('&')}` : ''}${hash}`
    browser.location.replace(
      `${authorizeBase}/connect/oauth2/authorize?appid=${encodeURIComponent(appId)}&redirect_uri=${encodeURIComponent(back)}` +
        `&response_type=code&scope=${scope}&state=${state}#wechat_redirect`,
    )
  }

  const getCode = (): Promise<string> => {
    const returned = pending
    pending = undefined
    if (returned !== undefined) return typeof returned === 'string' ? Promise.resolve(returned) : Promise.reject(returned)
    const last = lastReturn()
    if (last && now() - last.at < redirectCooldownMs) {
      // One more round trip is fine (a relogin soon after a login); a second, or one after a refused state, is a loop.
      if (!last.accepted || last.retried) {
        return Promise.reject(
          failure(
            'WeChat sent this tab back moments ago and that did not lead to a session; not redirecting again ' +
              'automatically (check the backend’s h5-weixin settings, or call authorize() from a user action)',
          ),
        )
      }
      remember({ ...last, retried: true })
    }
    authorize()
    // The page is leaving for WeChat; should the navigation not happen, loginTimeoutMs ends the attempt.
    return new Promise<string>(() => {})
  }
  const source = Object.assign(getCode, { target: { platform: 'h5-weixin', appId }, authorize })
  return Object.defineProperty(source, 'hasCode', { get: () => typeof pending === 'string' }) as WechatOAuth
}
