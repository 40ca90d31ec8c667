import { type CallLog, createCallLog } from '../doubles/call-log'
import type { BackendRequest, BackendResponse } from '../doubles/fake-backend'
import { MemoryStorage } from '../doubles/memory-storage'

/** The mini-program vendors whose builds this host runs, by uni-app's build target. */
export type Vendor = 'mp-alipay' | 'mp-toutiao'

/** The global each vendor's runtime provides. */
export const VENDOR_GLOBAL: Record<Vendor, 'my' | 'tt'> = { 'mp-alipay': 'my', 'mp-toutiao': 'tt' }

export interface VendorBehaviour {
  /** Delay before an async API calls back, in ms (never synchronous, as on a phone). @default 5 */
  latencyMs: number
  /** `my.getAuthCode` / `tt.login`: answer with a fresh code, fail, or never call back. @default 'ok' */
  login: 'ok' | 'fail' | 'hang'
  /** The user's identity on this platform: codes minted for the backend belong to it. @default 'openid-1' */
  openid: string
}

export interface FakeVendor {
  /** The `my` / `tt` object to install as a global; each member is a plain function. */
  readonly api: Record<string, unknown>
  /** Every call in order, under the vendor's own API names (`getAuthCode`, `request`, …) and arguments. */
  readonly calls: CallLog
  readonly behaviour: VendorBehaviour
  /** The phone's storage: hand it to the next host for a relaunch. */
  readonly storage: MemoryStorage
}

/**
 * Where the phone's network goes: the fake backend fits as it is; a real server fits through a small
 * adapter (see tests/vendor-host/real-backend.test.ts).
 */
export interface VendorNetwork {
  /** The platform's side of `my.getAuthCode` / `tt.login`: a fresh one-time code for this user. */
  mintCode(openid: string): string
  /** True for the URLs this network answers; the others fail like a domain missing from the app's list. */
  owns(url: string): boolean
  /** The answer to one HTTP call, now or later. */
  handle(request: BackendRequest): BackendResponse | Promise<BackendResponse>
}

export interface FakeVendorOptions {
  vendor: Vendor
  backend: VendorNetwork
  storage?: MemoryStorage
  behaviour?: Partial<VendorBehaviour>
}

type Callbacks = { success?: (result: unknown) => void; fail?: (result: unknown) => void; complete?: (result: unknown) => void }
type Options = Callbacks & Record<string, unknown>

const SYSTEM_INFO = { platform: 'devtools', system: 'Node.js', model: 'vendor-host', pixelRatio: 2, windowWidth: 375, windowHeight: 812 }

/**
 * A fake Alipay `my` or Douyin `tt`, speaking each platform's own API shapes so that uni-app's
 * compiled API layer translates as on a phone: Alipay's `getAuthCode` → `{ authCode }`,
 * `request` with lower-cased `headers` → `{ status, headers }`, object-form sync storage
 * (`getStorageSync({ key })` → `{ data }`) and no `checkSession`; Douyin's `login` → `{ code,
 * anonymousCode }`, WeChat-like `request` and storage, and `checkSession`. Network calls go to the
 * fake backend; other hosts fail, as a domain missing from the app's list does.
 */
export function createFakeVendor({ vendor, backend, storage = new MemoryStorage(), behaviour = {} }: FakeVendorOptions): FakeVendor {
  const calls = createCallLog()
  const settings: VendorBehaviour = { latencyMs: 5, login: 'ok', openid: 'openid-1', ...behaviour }
  const alipay = vendor === 'mp-alipay'

  function later(options: Options, outcome: 'success' | 'fail', result: Record<string, unknown>): void {
    setTimeout(() => {
      options[outcome]?.(result)
      options.complete?.(result)
    }, settings.latencyMs)
  }

  /** Records the call with a copy of its options (and their header object) as the app sent them. */
  function record(api: string, options: Options): void {
    const copy: Record<string, unknown> = { ...options }
    for (const key of ['header', 'headers']) if (copy[key] && typeof copy[key] === 'object') copy[key] = { ...(copy[key] as object) }
    calls.record(api, [copy])
  }

  function login(api: string, answer: (code: string) => Record<string, unknown>) {
    return (options: Options = {}) => {
      record(api, options)
      if (settings.login === 'hang') return
      if (settings.login === 'fail') return later(options, 'fail', { error: 11, errorMessage: 'user cancelled', errMsg: `${api}:fail` })
      later(options, 'success', answer(backend.mintCode(settings.openid)))
    }
  }

  function request(options: Options = {}) {
    record('request', options)
    const url = String(options.url ?? '')
    const header = ((alipay ? options.headers : options.header) ?? {}) as Record<string, string>
    // Alipay serializes a JSON body itself; the backend double reads objects and strings alike.
    const data = options.data
    const task = { abort() {}, onProgressUpdate() {}, offProgressUpdate() {} }
    if (!backend.owns(url)) {
      later(options, 'fail', { error: 12, errorMessage: 'url not in domain list', errMsg: 'request:fail' })
      return task
    }
    const respond = (answer: BackendResponse) =>
      later(
        options,
        'success',
        alipay
          ? { data: answer.data, status: answer.statusCode, headers: answer.header ?? {} }
          : { data: answer.data, statusCode: answer.statusCode, header: answer.header ?? {}, errMsg: 'request:ok' },
      )
    const fail = (error: unknown) => later(options, 'fail', { error: 19, errorMessage: String(error), errMsg: 'request:fail' })
    const answer = backend.handle({ method: String(options.method ?? 'GET'), url, header, data })
    if (answer instanceof Promise) answer.then(respond, fail)
    else respond(answer)
    return task
  }

  const keyOf = (arg: unknown) => String(alipay ? (arg as { key: unknown }).key : arg)
  const common = {
    request,
    getSystemInfoSync: () => ({ ...SYSTEM_INFO }),
    getSystemInfo: (options: Options = {}) => later(options, 'success', { ...SYSTEM_INFO }),
    getLaunchOptionsSync: () => ({ path: '', query: {}, scene: 1001 }),
    onAppShow() {},
    onAppHide() {},
    offAppShow() {},
    offAppHide() {},
    getStorageSync(arg: unknown) {
      calls.record('getStorageSync', [arg])
      const key = keyOf(arg)
      const value = storage.has(key) ? structuredClone(storage.get(key)) : alipay ? null : ''
      return alipay ? { data: value, success: true } : value
    },
    setStorageSync(arg: unknown, value?: unknown) {
      calls.record('setStorageSync', [arg, value])
      storage.set(keyOf(arg), structuredClone(alipay ? (arg as { data: unknown }).data : value))
      return alipay ? { success: true } : undefined
    },
    removeStorageSync(arg: unknown) {
      calls.record('removeStorageSync', [arg])
      storage.delete(keyOf(arg))
      return alipay ? { success: true } : undefined
    },
  }

  const api: Record<string, unknown> = alipay
    ? {
        ...common,
        SDKVersion: '2.9.0',
        // uni's Alipay layer asks which APIs exist while it loads; `checkSession` is not among them.
        canIUse: (name: string) => name in api,
        getAuthCode: login('getAuthCode', (authCode) => ({ authCode, authSuccessScopes: ['auth_base'] })),
      }
    : {
        ...common,
        login: login('login', (code) => ({ code, anonymousCode: `anon-${code}`, isLogin: true, errMsg: 'login:ok' })),
        checkSession: (options: Options = {}) => {
          record('checkSession', options)
          later(options, 'success', { errMsg: 'checkSession:ok' })
        },
      }

  return { api, calls, behaviour: settings, storage }
}
