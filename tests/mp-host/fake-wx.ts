import { type CallLog, createCallLog } from './call-log'
import type { BackendRequest, BackendResponse, FakeBackend } from './fake-backend'

/** How a callback API answers: normally, with `fail`, or never (a hanging platform call). */
export type CallMode = 'ok' | 'fail' | 'hang'

/** What an HTTP override may answer instead of the backend. */
export type HttpOutcome = BackendResponse | 'network-fail' | 'hang'

/** Everything a scenario may steer, read at the moment of each call (so it can change mid-run). */
export interface WxBehaviour {
  /** Delay before any async API calls back, in ms. @default 5 */
  latencyMs: number
  /** Per-API delays that win over `latencyMs`, e.g. `{ login: 50 }`. @default {} */
  latency: Partial<Record<string, number>>
  /** @default 'ok' */
  login: CallMode
  /** @default 'ok' */
  checkSession: CallMode
  /** @default 'ok' */
  chooseImage: CallMode
  /** Paths `wx.chooseImage` hands back. @default ['wxfile://tmp/avatar.png'] */
  chosenImages: string[]
  /** The WeChat identity of this "phone": codes minted by `wx.login` belong to it. @default 'openid-1' */
  openid: string
  /**
   * Answers instead of the backend for the requests it chooses (return `undefined` to pass on).
   * Sees request, uploadFile and downloadFile.
   * @default null
   */
  http: ((request: BackendRequest & { api: string }) => HttpOutcome | undefined) | null
}

/** The fake `wx` global: every member is a plain function (vendor.js copies functions only). */
export type WxFunction = (...args: unknown[]) => unknown
export type WxObject = Record<string, WxFunction>

/** The phone's storage; hand the same one to the next launch to simulate a relaunch. */
export type FakeStorage = Map<string, unknown>

export interface FakeWx {
  readonly wx: WxObject
  readonly calls: CallLog
  readonly behaviour: WxBehaviour
  readonly storage: FakeStorage
  readonly backend: FakeBackend
  /** Callbacks scheduled but not yet delivered (hanging calls are not counted). */
  readonly pending: number
}

export interface FakeWxOptions {
  backend: FakeBackend
  storage?: FakeStorage
  behaviour?: Partial<WxBehaviour>
}

type Callback = (result: unknown) => void
interface CallbackOptions {
  success?: Callback
  fail?: Callback
  complete?: Callback
  [key: string]: unknown
}

const SYSTEM_INFO = Object.freeze({
  brand: 'devtools',
  model: 'mp-host',
  platform: 'devtools',
  system: 'Node.js',
  language: 'zh_CN',
  version: '8.0.50',
  SDKVersion: '3.5.0',
  pixelRatio: 2,
  screenWidth: 375,
  screenHeight: 812,
  windowWidth: 375,
  windowHeight: 812,
  statusBarHeight: 44,
  safeArea: { left: 0, right: 375, top: 44, bottom: 778, width: 375, height: 734 },
  theme: 'light',
  enableDebug: false,
  host: { env: 'WeChat' },
})

export function createFakeWx({ backend, storage = new Map(), behaviour = {} }: FakeWxOptions): FakeWx {
  const calls = createCallLog()
  const settings: WxBehaviour = {
    latencyMs: 5,
    latency: {},
    login: 'ok',
    checkSession: 'ok',
    chooseImage: 'ok',
    chosenImages: ['wxfile://tmp/avatar.png'],
    openid: 'openid-1',
    http: null,
    ...behaviour,
  }
  let pending = 0
  let downloads = 0

  /** Calls back later, the way WeChat always does (never synchronously). Returns a canceller. */
  function later(api: string, options: CallbackOptions, outcome: 'success' | 'fail', result: Record<string, unknown>): () => boolean {
    pending += 1
    let delivered = false
    const timer = setTimeout(() => {
      delivered = true
      pending -= 1
      options[outcome]?.(result)
      options.complete?.(result)
    }, settings.latency[api] ?? settings.latencyMs)
    return () => {
      if (delivered) return false
      clearTimeout(timer)
      pending -= 1
      delivered = true
      return true
    }
  }

  function callbackApi(api: string, run: (options: CallbackOptions) => void): WxFunction {
    return (...args) => {
      calls.record(api, args)
      const options = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as CallbackOptions
      return run(options)
    }
  }

  function byMode(api: string, mode: CallMode, options: CallbackOptions, ok: Record<string, unknown>, failMsg: string): void {
    if (mode === 'hang') return
    if (mode === 'fail') later(api, options, 'fail', { errMsg: `${api}:fail ${failMsg}` })
    else later(api, options, 'success', { ...ok, errMsg: `${api}:ok` })
  }

  /** The RequestTask / UploadTask: `abort()` before the answer arrives turns it into a `fail`. */
  function createTask(api: string, options: CallbackOptions, cancel: () => boolean) {
    const noop = () => {}
    let aborted = false
    return {
      abort: () => {
        if (aborted || !cancel()) return
        aborted = true
        later(api, options, 'fail', { errMsg: `${api}:fail abort` })
      },
      onHeadersReceived: noop,
      offHeadersReceived: noop,
      onChunkReceived: noop,
      offChunkReceived: noop,
      onProgressUpdate: noop,
      offProgressUpdate: noop,
    }
  }

  /** Sends an HTTP-ish call to the override or the backend and calls back with WeChat's payload. */
  function http(
    api: string,
    options: CallbackOptions,
    method: string,
    data: unknown,
    shape: (res: BackendResponse) => Record<string, unknown>,
  ) {
    const url = typeof options.url === 'string' ? options.url : ''
    const request = { api, method, url, header: stringHeaders(options.header), data }
    const outcome: HttpOutcome | undefined = settings.http?.(request) ?? (backend.owns(url) ? backend.handle(request) : 'network-fail')
    if (outcome === 'hang') return createTask(api, options, () => true)
    const cancel =
      outcome === 'network-fail'
        ? later(api, options, 'fail', { errMsg: `${api}:fail url not in domain list` })
        : later(api, options, 'success', shape(outcome))
    return createTask(api, options, cancel)
  }

  const wx: WxObject = {
    login: callbackApi('login', (o) =>
      byMode('login', settings.login, o, settings.login === 'ok' ? { code: backend.mintCode(settings.openid) } : {}, 'system error'),
    ),
    checkSession: callbackApi('checkSession', (o) =>
      byMode('checkSession', settings.checkSession, o, {}, 'session time out, need relogin'),
    ),
    chooseImage: callbackApi('chooseImage', (o) =>
      byMode(
        'chooseImage',
        settings.chooseImage,
        o,
        { tempFilePaths: [...settings.chosenImages], tempFiles: settings.chosenImages.map((path) => ({ path, size: 1024 })) },
        'cancel',
      ),
    ),
    request: callbackApi('request', (o) =>
      http('request', o, typeof o.method === 'string' ? o.method : 'GET', o.data, (res) => ({
        data: res.data,
        statusCode: res.statusCode,
        header: res.header,
        cookies: [],
        errMsg: 'request:ok',
      })),
    ),
    uploadFile: callbackApi('uploadFile', (o) =>
      http('uploadFile', o, 'POST', { filePath: o.filePath, name: o.name, formData: o.formData }, (res) => ({
        data: typeof res.data === 'string' ? res.data : JSON.stringify(res.data),
        statusCode: res.statusCode,
        errMsg: 'uploadFile:ok',
      })),
    ),
    downloadFile: callbackApi('downloadFile', (o) =>
      http('downloadFile', o, 'GET', undefined, (res) => ({
        tempFilePath: `wxfile://tmp/download-${++downloads}`,
        statusCode: res.statusCode,
        errMsg: 'downloadFile:ok',
      })),
    ),
    getStorageSync: (...args) => {
      calls.record('getStorageSync', args)
      const key = String(args[0])
      // WeChat answers '' for a missing key.
      return storage.has(key) ? structuredClone(storage.get(key)) : ''
    },
    setStorageSync: (...args) => {
      calls.record('setStorageSync', args)
      storage.set(String(args[0]), structuredClone(args[1]))
    },
    removeStorageSync: (...args) => {
      calls.record('removeStorageSync', args)
      storage.delete(String(args[0]))
    },
    getSystemInfoSync: (...args) => (calls.record('getSystemInfoSync', args), { ...SYSTEM_INFO }),
    getAppBaseInfo: (...args) => (calls.record('getAppBaseInfo', args), { ...SYSTEM_INFO }),
    getWindowInfo: (...args) => (calls.record('getWindowInfo', args), { ...SYSTEM_INFO }),
    getDeviceInfo: (...args) => (calls.record('getDeviceInfo', args), { ...SYSTEM_INFO }),
  }

  return {
    wx,
    calls,
    behaviour: settings,
    storage,
    backend,
    get pending() {
      return pending
    },
  }
}

function stringHeaders(header: unknown): Record<string, string> {
  if (typeof header !== 'object' || header === null) return {}
  return Object.fromEntries(Object.entries(header as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
}
