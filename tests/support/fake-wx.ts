/**
 * A scriptable stand-in for the WeChat `wx` global, for running uni-app's real mp-weixin API layer
 * in Node. Each method delegates to a replaceable handler, because uni's API layer copies the `wx`
 * methods it sees when it loads: the function objects must stay the same for the whole file.
 */
export interface WxCallbacks<R = unknown> {
  success?: (result: R) => void
  fail?: (error: { errMsg: string }) => void
  complete?: (result: unknown) => void
}

export interface WxRequestOptions extends WxCallbacks {
  url: string
  method?: string
  data?: unknown
  header?: Record<string, string>
  filePath?: string
  name?: string
  [key: string]: unknown
}

export interface WxResponse {
  statusCode: number
  data?: unknown
  header?: Record<string, string>
}

export interface FakeTask {
  abort(): void
  aborted: boolean
  onProgressUpdate(listener: (progress: unknown) => void): void
}

export type WxHandler = (options: WxRequestOptions) => void

export interface FakeWx {
  handlers: Record<
    'login' | 'checkSession' | 'request' | 'uploadFile' | 'downloadFile' | 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab',
    WxHandler
  >
  storage: Map<string, unknown>
  /** Every call, in order, with the options it received. */
  calls: Array<{ api: string; options: WxRequestOptions }>
  tasks: FakeTask[]
  global: Record<string, unknown>
  /** Back to default handlers, no calls, empty storage. */
  reset(): void
}

function succeed(options: WxCallbacks, result: Record<string, unknown>): void {
  options.success?.(result)
  options.complete?.(result)
}

export function fail(options: WxCallbacks, errMsg: string): void {
  const error = { errMsg }
  options.fail?.(error)
  options.complete?.(error)
}

/** Answers a request with an HTTP response the way wx does: any HTTP status is a success. */
export function respond(options: WxRequestOptions, response: WxResponse, api = 'request'): void {
  succeed(options, { errMsg: `${api}:ok`, header: {}, ...response })
}

export function createFakeWx(): FakeWx {
  const calls: FakeWx['calls'] = []
  const tasks: FakeTask[] = []
  const storage = new Map<string, unknown>()
  let codes = 0
  const defaults = (): FakeWx['handlers'] => ({
    login: (options) => succeed(options, { errMsg: 'login:ok', code: `code-${++codes}` }),
    checkSession: (options) => succeed(options, { errMsg: 'checkSession:ok' }),
    request: (options) => respond(options, { statusCode: 200, data: {} }),
    uploadFile: (options) => respond(options, { statusCode: 200, data: '{}' }, 'uploadFile'),
    downloadFile: (options) => respond(options, { statusCode: 200, data: undefined }, 'downloadFile'),
    navigateTo: (options) => succeed(options, { errMsg: 'navigateTo:ok' }),
    redirectTo: (options) => succeed(options, { errMsg: 'redirectTo:ok' }),
    reLaunch: (options) => succeed(options, { errMsg: 'reLaunch:ok' }),
    switchTab: (options) => succeed(options, { errMsg: 'switchTab:ok' }),
  })
  const handlers = defaults()
  const taskApi = (api: keyof FakeWx['handlers']) => (options: WxRequestOptions) => {
    calls.push({ api, options })
    const task: FakeTask = {
      aborted: false,
      abort() {
        task.aborted = true
      },
      onProgressUpdate() {},
    }
    tasks.push(task)
    handlers[api](options)
    return task
  }
  const plainApi = (api: keyof FakeWx['handlers']) => (options: WxRequestOptions) => {
    calls.push({ api, options })
    handlers[api](options)
  }
  const systemInfo = () => ({ platform: 'devtools', SDKVersion: '3.0.0', windowWidth: 375, pixelRatio: 2, language: 'zh_CN' })
  const global: Record<string, unknown> = {
    login: plainApi('login'),
    checkSession: plainApi('checkSession'),
    request: taskApi('request'),
    uploadFile: taskApi('uploadFile'),
    downloadFile: taskApi('downloadFile'),
    navigateTo: plainApi('navigateTo'),
    redirectTo: plainApi('redirectTo'),
    reLaunch: plainApi('reLaunch'),
    switchTab: plainApi('switchTab'),
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
    getSystemInfoSync: systemInfo,
    getAppBaseInfo: systemInfo,
    getWindowInfo: systemInfo,
    getDeviceInfo: systemInfo,
  }
  const reset = () => {
    Object.assign(handlers, defaults())
    calls.length = 0
    tasks.length = 0
    storage.clear()
  }
  return { handlers, storage, calls, tasks, global, reset }
}
