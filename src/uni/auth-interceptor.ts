import { AuthError, toAuthError } from '../core/errors'
import type { SessionEngine } from '../core/session-engine'
import type { Session } from '../core/types'
import { takeMarker, withMarker } from './request-marker'
import type { UniInterceptor, UniLike, UniOptions } from './uni-like'
import { isAbsoluteUrl, resolveUrl } from './url'

export type InterceptedMethod = 'request' | 'uploadFile' | 'downloadFile'

/** What the interceptor hands to `isAuthFailure`: uni's success payload of the three APIs. */
export interface AuthResponse {
  statusCode?: number
  data?: unknown
  header?: Record<string, unknown>
  [key: string]: unknown
}

export interface AuthInterceptorConfig {
  uniApi: UniLike
  engine: SessionEngine
  methods: readonly InterceptedMethod[]
  /** Without trailing slashes (see normalizeBaseUrl). */
  baseUrl: string | undefined
  tokenHeader: string
  formatToken: (token: string) => string
  isAuthFailure: (response: AuthResponse) => boolean
  /** True for requests that must go out untouched (public endpoints, the login URL). */
  shouldSkip: (options: UniOptions) => boolean
  maxReplays: number
  report: (event: string, detail?: unknown) => void
}

interface Callbacks {
  success?: (result: unknown) => void
  fail?: (error: unknown) => void
  complete?: (result: unknown) => void
}

/**
 * Registers one `invoke` hook per API. The hook never returns a promise: uni-app's `queue()` drops
 * every later interceptor and hands the API a function once any hook does (DESIGN §4b.4). Instead it
 * either authorizes the options in place (fast path: the RequestTask survives) or cancels the call
 * with `false` and re-issues it once the session is ready, carrying the options it first saw.
 */
export function installAuthInterceptor(config: AuthInterceptorConfig): () => void {
  const { uniApi, methods } = config
  const registered = methods.map((method) => {
    const interceptor: UniInterceptor = { invoke: createInvoke(method, config) }
    uniApi.addInterceptor(method, interceptor)
    return [method, interceptor] as const
  })
  return () => {
    for (const [method, interceptor] of registered) uniApi.removeInterceptor(method, interceptor)
  }
}

function createInvoke(method: InterceptedMethod, config: AuthInterceptorConfig) {
  const { engine, baseUrl, report } = config
  return function invoke(options: UniOptions): false | undefined {
    const marker = takeMarker(options)
    if (marker?.kind === 'bypass') return
    // Hooks registered before ours ran again on the re-issued call; their first run already
    // shaped these options, so restore them rather than apply a URL prefix (say) twice.
    if (marker?.kind === 'resume') replaceContents(options, marker.snapshot)
    if (typeof options.url === 'string') options.url = resolveUrl(baseUrl, options.url)
    if (!shouldAuthenticate(options, config)) return
    if (engine.inExchangeCall) {
      const error = new AuthError(
        'LOGIN_DEADLOCK',
        `the exchange called uni.${method}(${String(options.url)}) through the auth interceptor, so it would wait for the login it is part of; add that URL to \`skip\``,
      )
      report('deadlock', error)
      deliverFailure(options, error)
      return false
    }
    const snapshot: UniOptions = { ...options }
    const replays = marker?.kind === 'resume' ? marker.replays : 0
    const session = marker?.kind === 'resume' ? marker.session : engine.peek()
    if (session) {
      authorize(method, options, snapshot, session, replays, config)
      return
    }
    report('wait', options.url)
    engine.ensureSession().then(
      (ready) => reissue(method, snapshot, replays, ready, config),
      (error: unknown) => deliverFailure(snapshot, toAuthError(error, 'LOGIN_EXCHANGE_FAILED', 'login failed')),
    )
    return false
  }
}

function authorize(
  method: InterceptedMethod,
  options: UniOptions,
  snapshot: UniOptions,
  session: Session,
  replays: number,
  config: AuthInterceptorConfig,
): void {
  const { engine, tokenHeader, formatToken, maxReplays, report } = config
  // A new header object: the caller's own one must never change under them (DESIGN §4b.5).
  const header = isRecord(options.header) ? options.header : {}
  options.header = { ...header, [tokenHeader]: formatToken(session.token) }
  const { success, complete } = snapshot as Callbacks
  let replaying = false
  // Decided from the response alone, so `success` and `complete` agree whatever order they run in.
  const needsReplay = (response: unknown) => replays < maxReplays && isAuthFailure(response, config)
  options.success = (response: unknown) => {
    if (!needsReplay(response)) return call(success, response)
    replaying = true
    report('unauthorized', { url: options.url, generation: session.generation })
    engine.recover(session.generation).then(
      (renewed) => reissue(method, snapshot, replays + 1, renewed, config),
      (error: unknown) => deliverFailure(snapshot, toAuthError(error, 'LOGIN_EXCHANGE_FAILED', 'login failed')),
    )
  }
  options.complete = (response: unknown) => {
    if (replaying || needsReplay(response)) return
    call(complete, response)
  }
}

function reissue(
  method: InterceptedMethod,
  snapshot: UniOptions,
  replays: number,
  session: Session,
  { uniApi, report }: AuthInterceptorConfig,
): void {
  const api = uniApi[method]
  if (typeof api !== 'function') {
    deliverFailure(snapshot, new AuthError('INVALID_OPTIONS', `uni.${method} is not available on this platform`))
    return
  }
  report(replays > 0 ? 'replay' : 'resume', snapshot.url)
  api(withMarker(snapshot, { kind: 'resume', snapshot, replays, session }))
}

function shouldAuthenticate(options: UniOptions, { baseUrl, shouldSkip }: AuthInterceptorConfig): boolean {
  if (shouldSkip(options)) return false
  const url = typeof options.url === 'string' ? options.url : ''
  // Never hand the token to another host: with a baseUrl, only its own URLs get it.
  if (baseUrl && isAbsoluteUrl(url)) {
    if (!url.startsWith(baseUrl)) return false
    const next = url.charAt(baseUrl.length)
    return next === '' || next === '/' || next === '?'
  }
  return true
}

function isAuthFailure(response: unknown, { isAuthFailure: predicate, report }: AuthInterceptorConfig): boolean {
  if (typeof response !== 'object' || response === null) return false
  try {
    return predicate(response as AuthResponse)
  } catch (error) {
    // A broken predicate must not swallow the response: treat it as "not an auth failure".
    report('predicate-error', error)
    return false
  }
}

function deliverFailure(options: UniOptions, error: AuthError): void {
  const { fail, complete } = options as Callbacks
  call(fail, error)
  call(complete, error)
}

function call(callback: ((value: unknown) => void) | undefined, value: unknown): void {
  if (typeof callback !== 'function') return
  try {
    callback(value)
  } catch (error) {
    // Same as uni-app's own tryCatch around callbacks: a throwing callback is the caller's bug.
    console.error(error)
  }
}

function replaceContents(target: UniOptions, source: UniOptions): void {
  for (const key of Object.keys(target)) delete target[key]
  Object.assign(target, source)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
