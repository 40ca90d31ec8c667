import { type CallLog, createCallLog } from './call-log'
import { type BackendRequest, createFakeBackend, type FakeBackend } from './fake-backend'
import { AwaitedAnswer, type CallbackOptions, type Cancellable, Delivery, HANGING, Task } from './answers'
import { MemoryStorage } from './memory-storage'

/** How a platform API answers: normally, with `fail`, or never (a hanging platform call). */
export type CallMode = 'ok' | 'fail' | 'hang'

/** One answer of a platform API: a mode, a success with these fields instead of the usual ones, or a fail with this reason. */
export type PlatformAnswer = CallMode | { success: Record<string, unknown> } | { fail: string }

/** A platform API's answer for every call, or a function choosing it call by call. */
export type PlatformScript = PlatformAnswer | (() => PlatformAnswer)

/** An HTTP response as a script writes it (`header` defaults to none). */
export interface HttpResponse {
  statusCode: number
  data?: unknown
  header?: Record<string, string>
}

/** What an HTTP call gets instead of the backend's answer. */
export type HttpAnswer = HttpResponse | 'network-fail' | 'hang'

/** An HTTP answer now, or when a promise the scenario holds resolves (a request answered "later, on cue"). */
export type HttpOutcome = HttpAnswer | Promise<HttpAnswer>

/** Everything a scenario may steer, read at the moment of each call (so it can change mid-run). */
export interface WxBehaviour {
  /**
   * Delay before any async API calls back, in ms; 0 answers on the next microtask (never
   * synchronously, as WeChat never does). @default 5
   */
  latencyMs: number
  /** Per-API delays that win over `latencyMs`, e.g. `{ login: 50 }`. @default {} */
  latency: Partial<Record<string, number>>
  /** @default 'ok' */
  login: PlatformScript
  /** @default 'ok' */
  checkSession: PlatformScript
  /** @default 'ok' */
  chooseImage: PlatformScript
  /** The navigation APIs; a failing one calls `fail` as WeChat does (e.g. redirectTo a tabBar page). @default 'ok' */
  navigateTo: PlatformScript
  /** @default 'ok' */
  redirectTo: PlatformScript
  /** @default 'ok' */
  reLaunch: PlatformScript
  /** @default 'ok' */
  switchTab: PlatformScript
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
  /**
   * What a request to a host the backend does not own gets. WeChat refuses domains missing from the
   * app's list, hence the default; tests about other hosts may answer them instead.
   * @default 'network-fail'
   */
  otherHosts: HttpAnswer
}

/** The fake `wx` global: every member is a plain function (vendor.js copies functions only). */
export type WxFunction = (...args: unknown[]) => unknown
export type WxObject = Record<string, WxFunction>

/** The phone's storage; hand the same one to the next launch to simulate a relaunch. */
export type FakeStorage = MemoryStorage

/** The `RequestTask` / `UploadTask` / `DownloadTask` a network call returns. */
export interface FakeTask {
  abort(): void
  /** Whether `abort()` reached the task before its answer. */
  readonly aborted: boolean
  onProgressUpdate(listener: (progress: unknown) => void): void
  [method: string]: unknown
}

export interface FakeWx {
  readonly wx: WxObject
  readonly calls: CallLog
  readonly behaviour: WxBehaviour
  readonly storage: FakeStorage
  readonly backend: FakeBackend
  /** The tasks network calls returned, in order (kept only while the call log keeps entries). */
  readonly tasks: readonly FakeTask[]
  /** Callbacks scheduled but not yet delivered (hanging calls are not counted). */
  readonly pending: number
  /**
   * A fresh phone behind the same `wx` functions (uni's API layer keeps the functions it saw when it
   * loaded): new backend, storage and behaviour where given, defaults otherwise, and an empty log.
   */
  reset(options?: Partial<FakeWxOptions>): void
}

export interface FakeWxOptions {
  /** @default a new `createFakeBackend()` */
  backend: FakeBackend
  /** @default empty */
  storage: FakeStorage
  behaviour: Partial<WxBehaviour>
  /** `false` keeps only per-API call counts, no entries and no tasks (long benchmark runs). @default true */
  recordCalls: boolean
}

const requestPayload = (res: HttpResponse) => ({
  data: res.data,
  statusCode: res.statusCode,
  header: res.header ?? {},
  cookies: [],
  errMsg: 'request:ok',
})
const uploadPayload = (res: HttpResponse) => ({
  data: typeof res.data === 'string' ? res.data : JSON.stringify(res.data),
  statusCode: res.statusCode,
  errMsg: 'uploadFile:ok',
})

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

const defaultBehaviour = (): WxBehaviour => ({
  latencyMs: 5,
  latency: {},
  login: 'ok',
  checkSession: 'ok',
  chooseImage: 'ok',
  navigateTo: 'ok',
  redirectTo: 'ok',
  reLaunch: 'ok',
  switchTab: 'ok',
  chosenImages: ['wxfile://tmp/avatar.png'],
  openid: 'openid-1',
  http: null,
  otherHosts: 'network-fail',
})

export function createFakeWx(options: Partial<FakeWxOptions> = {}): FakeWx {
  let state = fresh(options)
  let downloads = 0

  function fresh({ backend, storage, behaviour, recordCalls = true }: Partial<FakeWxOptions>) {
    return {
      backend: backend ?? createFakeBackend(),
      storage: storage ?? new MemoryStorage(),
      behaviour: { ...defaultBehaviour(), ...behaviour },
      calls: createCallLog({ keep: recordCalls }),
      tasks: [] as FakeTask[],
      recordCalls,
      /** Per phone: answers still scheduled from before a reset() do not count against the next one. */
      pending: 0,
    }
  }

  /** Calls back later, the way WeChat always does (never synchronously). */
  function later(api: string, options: CallbackOptions, outcome: 'success' | 'fail', result: Record<string, unknown>): Cancellable {
    return new Delivery(state, options, outcome, result, state.behaviour.latency[api] ?? state.behaviour.latencyMs)
  }

  function callbackApi(api: string, run: (options: CallbackOptions) => unknown): WxFunction {
    return (...args) => {
      state.calls.record(api, args)
      const options = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as CallbackOptions
      return run(options)
    }
  }

  function syncApi(api: string, run: (...args: unknown[]) => unknown): WxFunction {
    return (...args) => {
      state.calls.record(api, args)
      return run(...args)
    }
  }

  /** Answers a platform API as scripted; `ok` is what the API answers on success. */
  function platform(api: string, script: PlatformScript, options: CallbackOptions, ok: () => Record<string, unknown>, failMsg: string) {
    const answer = typeof script === 'function' ? script() : script
    if (answer === 'hang') return
    if (answer === 'fail') later(api, options, 'fail', { errMsg: `${api}:fail ${failMsg}` })
    else if (answer === 'ok') later(api, options, 'success', { ...ok(), errMsg: `${api}:ok` })
    else if ('fail' in answer) later(api, options, 'fail', { errMsg: `${api}:fail ${answer.fail}` })
    else later(api, options, 'success', { ...answer.success, errMsg: `${api}:ok` })
  }

  function createTask(api: string, options: CallbackOptions, answer: Cancellable): FakeTask {
    const task = new Task(answer, () => later(api, options, 'fail', { errMsg: `${api}:fail abort` }))
    if (state.recordCalls) state.tasks.push(task)
    return task
  }

  /** Sends an HTTP-ish call to the script, the backend or the other host, and calls back with WeChat's payload. */
  function http(
    api: string,
    options: CallbackOptions,
    method: string,
    data: unknown,
    payload: (res: HttpResponse) => Record<string, unknown>,
  ): FakeTask {
    const { behaviour, backend } = state
    const url = typeof options.url === 'string' ? options.url : ''
    const header = (typeof options.header === 'object' && options.header !== null ? options.header : {}) as Record<string, string>
    const request = { api, method, url, header, data }
    const outcome = behaviour.http?.(request) ?? (backend.owns(url) ? backend.handle(request) : behaviour.otherHosts)
    if (!(outcome instanceof Promise)) return createTask(api, options, respond(api, options, outcome, payload))
    return createTask(api, options, new AwaitedAnswer(outcome, (settled) => respond(api, options, settled, payload)))
  }

  function respond(api: string, options: CallbackOptions, settled: HttpAnswer, payload: (res: HttpResponse) => Record<string, unknown>) {
    if (settled === 'hang') return HANGING
    if (settled === 'network-fail') return later(api, options, 'fail', { errMsg: `${api}:fail url not in domain list` })
    return later(api, options, 'success', payload(settled))
  }

  const navigation = (api: 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab') =>
    callbackApi(api, (o) => platform(api, state.behaviour[api], o, () => ({}), 'navigation refused'))

  const wx: WxObject = {
    login: callbackApi('login', (o) =>
      platform('login', state.behaviour.login, o, () => ({ code: state.backend.mintCode(state.behaviour.openid) }), 'system error'),
    ),
    checkSession: callbackApi('checkSession', (o) =>
      platform('checkSession', state.behaviour.checkSession, o, () => ({}), 'session time out, need relogin'),
    ),
    chooseImage: callbackApi('chooseImage', (o) => {
      const paths = state.behaviour.chosenImages
      platform(
        'chooseImage',
        state.behaviour.chooseImage,
        o,
        () => ({ tempFilePaths: [...paths], tempFiles: paths.map((path) => ({ path, size: 1024 })) }),
        'cancel',
      )
    }),
    request: callbackApi('request', (o) => http('request', o, typeof o.method === 'string' ? o.method : 'GET', o.data, requestPayload)),
    uploadFile: callbackApi('uploadFile', (o) =>
      http('uploadFile', o, 'POST', { filePath: o.filePath, name: o.name, formData: o.formData }, uploadPayload),
    ),
    downloadFile: callbackApi('downloadFile', (o) =>
      http('downloadFile', o, 'GET', undefined, (res) => ({
        tempFilePath: `wxfile://tmp/download-${++downloads}`,
        statusCode: res.statusCode,
        errMsg: 'downloadFile:ok',
      })),
    ),
    navigateTo: navigation('navigateTo'),
    redirectTo: navigation('redirectTo'),
    reLaunch: navigation('reLaunch'),
    switchTab: navigation('switchTab'),
    // WeChat answers '' for a missing key, and stores a copy (it serializes).
    getStorageSync: syncApi('getStorageSync', (key) =>
      state.storage.has(String(key)) ? structuredClone(state.storage.get(String(key))) : '',
    ),
    setStorageSync: syncApi('setStorageSync', (key, value) => void state.storage.set(String(key), structuredClone(value))),
    removeStorageSync: syncApi('removeStorageSync', (key) => void state.storage.delete(String(key))),
    removeStorage: callbackApi('removeStorage', (o) => {
      state.storage.delete(String(o.key))
      later('removeStorage', o, 'success', { errMsg: 'removeStorage:ok' })
    }),
    getSystemInfoSync: syncApi('getSystemInfoSync', () => ({ ...SYSTEM_INFO })),
    getAppBaseInfo: syncApi('getAppBaseInfo', () => ({ ...SYSTEM_INFO })),
    getWindowInfo: syncApi('getWindowInfo', () => ({ ...SYSTEM_INFO })),
    getDeviceInfo: syncApi('getDeviceInfo', () => ({ ...SYSTEM_INFO })),
  }

  return {
    wx,
    get calls() {
      return state.calls
    },
    get behaviour() {
      return state.behaviour
    },
    get storage() {
      return state.storage
    },
    get backend() {
      return state.backend
    },
    get tasks() {
      return state.tasks
    },
    get pending() {
      return state.pending
    },
    reset(next = {}) {
      state = fresh({ recordCalls: state.recordCalls, ...next })
    },
  }
}
