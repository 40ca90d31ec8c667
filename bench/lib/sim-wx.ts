/**
 * A simulated WeChat `wx` plus a tiny backend for B1/B2: every platform call and HTTP round trip
 * answers after a configured delay on real timers, and the sim counts what the contenders did
 * (wx.login calls, code exchanges, business requests and whether each carried a token).
 *
 * uni-app's API layer copies the `wx` functions it sees when it loads, so the functions here never
 * change; a trial changes behaviour through `reset()`.
 */
export interface Rtts {
  login: number
  checkSession: number
  exchange: number
  request: number
}

export interface SimCounts {
  logins: number
  checkSessions: number
  exchanges: number
  requests: number
  /** Business requests that left without an Authorization header. */
  withoutToken: number
  /** Business requests answered 401. */
  unauthorized: number
}

type Callback = (result: unknown) => void
interface CallOptions {
  url?: string
  method?: string
  header?: Record<string, unknown>
  data?: unknown
  key?: string
  success?: Callback
  fail?: Callback
  complete?: Callback
}

export const API = 'https://api.bench'
export const LOGIN_PATH = '/auth/login'

export interface SimWx {
  readonly wx: Record<string, (...args: never[]) => unknown>
  readonly counts: SimCounts
  readonly storage: Map<string, unknown>
  rtts: Rtts
  /** Tokens the backend accepts right now. */
  readonly valid: Set<string>
  /** Fresh counts, storage and tokens, with these round-trip times. */
  reset(rtts: Rtts): void
  /** Counts back to zero; storage and tokens stay (the start of a timed phase after a warm-up). */
  zeroCounts(): void
  /** Every token issued so far is refused from now on (each request carrying one gets a 401). */
  revokeAll(): void
  /** Issues a token outside any contender (to seed a relaunch). */
  issueToken(): string
}

export function createSimWx(): SimWx {
  const storage = new Map<string, unknown>()
  const valid = new Set<string>()
  let tokens = 0
  let codes = 0
  const counts: SimCounts = { logins: 0, checkSessions: 0, exchanges: 0, requests: 0, withoutToken: 0, unauthorized: 0 }
  const sim: SimWx = {
    wx: {},
    counts,
    storage,
    valid,
    rtts: { login: 0, checkSession: 0, exchange: 0, request: 0 },
    reset(rtts) {
      sim.rtts = rtts
      storage.clear()
      valid.clear()
      sim.zeroCounts()
    },
    zeroCounts() {
      for (const key of Object.keys(counts) as (keyof SimCounts)[]) counts[key] = 0
    },
    revokeAll: () => valid.clear(),
    issueToken() {
      const token = `tok-${++tokens}`
      valid.add(token)
      return token
    },
  }

  const later = (ms: number, options: CallOptions, outcome: 'success' | 'fail', result: Record<string, unknown>) =>
    setTimeout(() => {
      options[outcome]?.(result)
      options.complete?.(result)
    }, ms)

  const headerValue = (header: Record<string, unknown> | undefined, name: string): string | undefined => {
    if (!header) return undefined
    for (const [key, value] of Object.entries(header)) if (key.toLowerCase() === name) return String(value)
    return undefined
  }

  const info = () => ({ platform: 'devtools', SDKVersion: '3.5.0', windowWidth: 375, pixelRatio: 2, language: 'zh_CN' })
  Object.assign(sim.wx, {
    login: (options: CallOptions) => {
      counts.logins += 1
      later(sim.rtts.login, options, 'success', { errMsg: 'login:ok', code: `code-${++codes}` })
    },
    checkSession: (options: CallOptions) => {
      counts.checkSessions += 1
      later(sim.rtts.checkSession, options, 'success', { errMsg: 'checkSession:ok' })
    },
    request: (options: CallOptions) => {
      const url = options.url ?? ''
      if (url.endsWith(LOGIN_PATH)) {
        counts.exchanges += 1
        const token = sim.issueToken()
        later(sim.rtts.exchange, options, 'success', {
          errMsg: 'request:ok',
          statusCode: 200,
          header: {},
          data: { token, expiresIn: 7200, user: { id: 'u1' } },
        })
      } else {
        counts.requests += 1
        const auth = headerValue(options.header, 'authorization')
        if (!auth) counts.withoutToken += 1
        const ok = auth !== undefined && valid.has(auth.replace(/^Bearer /, ''))
        if (!ok) counts.unauthorized += 1
        later(sim.rtts.request, options, 'success', {
          errMsg: 'request:ok',
          statusCode: ok ? 200 : 401,
          header: {},
          data: ok ? { url } : { code: 'AUTH_TOKEN_MISSING' },
        })
      }
      return { abort() {}, onProgressUpdate() {}, onHeadersReceived() {}, offHeadersReceived() {} }
    },
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
    // The article removes its token with the asynchronous form.
    removeStorage: (options: CallOptions) => {
      storage.delete(String(options.key))
      later(0, options, 'success', { errMsg: 'removeStorage:ok' })
    },
    getSystemInfoSync: info,
    getAppBaseInfo: info,
    getWindowInfo: info,
    getDeviceInfo: info,
  })
  return sim
}
