import type { AuthEngine } from '../core/auth-engine.js'
import { AuthError } from '../core/errors.js'
import type { Session } from '../core/types.js'
import type { AuthConfig } from './auth-config.js'
import { takeMarker, withMarker } from './request-marker.js'
import type { UniInterceptor, UniMethod, UniOptions } from './uni-host.js'
import { inScope, isAbsolute, joinUrl } from './url.js'

export type InterceptedMethod = 'request' | 'uploadFile' | 'downloadFile'
const METHODS: readonly InterceptedMethod[] = ['request', 'uploadFile', 'downloadFile']

type Callback = ((result: unknown) => void) | undefined

/**
 * Registers one `invoke` hook per API. The hook never returns a promise: once any hook does,
 * uni-app's `queue()` drops every later interceptor and hands the API a function instead of the
 * options (docs/ARCHITECTURE.md, "uni-app's interceptor traps"). So it either adds the token in
 * place (fast path: the RequestTask survives) or cancels the call with `false` and re-issues it once
 * the session is ready, carrying the options it first saw.
 *
 * `inLoginCall` tells whether the app's own login function is running synchronously right now: a
 * request it sends through here would wait for the login it is part of.
 */
export function installAuthInterceptor(config: AuthConfig, engine: AuthEngine, inLoginCall: () => boolean): () => void {
  const interceptors = METHODS.map((method): [InterceptedMethod, UniInterceptor] => [method, { invoke: createInvoke(method) }])
  for (const [method, interceptor] of interceptors) config.uni.addInterceptor(method, interceptor)
  /** Request numbers for the event stream (development builds only). */
  let requests = 0
  // The token's headers, built once per session rather than once per request.
  let headerOf: Session | undefined
  let authHeader: Record<string, string> = {}
  return () => {
    for (const [method, interceptor] of interceptors) config.uni.removeInterceptor(method, interceptor)
  }

  function createInvoke(method: InterceptedMethod) {
    return (options: UniOptions): false | undefined => {
      const marker = takeMarker(options)
      if (marker?.kind === 'bypass') return
      const resumed = marker?.kind === 'resume' ? marker : undefined
      // Hooks registered before ours ran again on the re-issued call; their first run already shaped
      // these options, so restore them rather than apply a URL prefix (say) twice.
      if (resumed) {
        for (const key of Object.keys(options)) delete options[key]
        Object.assign(options, resumed.snapshot)
      }
      const url = options.url
      // A URL that is not a string (a URL object, nothing) cannot be scoped: it goes out untouched.
      if (typeof url !== 'string') return
      const absolute = isAbsolute(url)
      if (!absolute && config.baseUrl) options.url = joinUrl(config.baseUrl, url)
      // A relative URL stays on the app's own API (or origin, on H5): only absolute ones can leave it.
      // After an explicit logout requests leave as they are, without a token: public endpoints keep
      // working and nothing logs in behind the user's back (docs/ARCHITECTURE.md, invariant 9).
      if (config.skips(options) || (absolute && !inScope(config.tokenScope, url)) || engine.loggedOut) return
      const snapshot = { ...options }
      let request = 0
      // Every `process.env.NODE_ENV` branch below is development-only: production builds drop it.
      if (process.env.NODE_ENV !== 'production') {
        request = resumed ? resumed.request : ++requests
        const verb = String(options.method ?? (method === 'uploadFile' ? 'POST' : 'GET')).toUpperCase()
        if (!resumed) engine.emit({ type: 'request-start', request, api: method, method: verb, url: String(options.url) })
        if (inLoginCall()) {
          // In production such a login simply ends in LOGIN_TIMEOUT.
          const deadlock = `your login function sent uni.${method}(${String(options.url)}) through the auth interceptor: add it to \`skip\``
          fail(snapshot, new AuthError('LOGIN_DEADLOCK', deadlock), request)
          return false
        }
      }
      const replays = resumed?.replays ?? 0
      const session = resumed?.session ?? engine.peek()
      if (session) {
        authorize(options, snapshot, session, replays, request)
        return
      }
      wait(engine.ensureSession(), snapshot, replays, request)
      return false
    }

    /** Re-issues the snapshot once `pending` gives a session; the engine rejects with AuthErrors only. */
    function wait(pending: Promise<Session>, snapshot: UniOptions, replays: number, request: number): void {
      if (process.env.NODE_ENV !== 'production') engine.emit({ type: 'request-wait', request, login: engine.attempt })
      pending.then(
        (session) => {
          // The call came through uni[method] in the first place, so the API exists.
          ;(config.uni[method] as UniMethod)(withMarker(snapshot, { kind: 'resume', snapshot, replays, session, request }))
        },
        (error: AuthError) => fail(snapshot, error, request),
      )
    }

    /**
     * The fast path, run for nearly every request: it adds the token and wraps the callbacks (a
     * response's own callbacks are uni's to protect: a throwing one behaves as without the plugin).
     */
    function authorize(options: UniOptions, snapshot: UniOptions, session: Session, replays: number, request: number): void {
      if (headerOf !== session) {
        headerOf = session
        authHeader = config.header(session.token)
      }
      // A new header object: neither the caller's nor our cached one may change under its owner.
      options.header = { ...(options.header as object | undefined), ...authHeader }
      const success = snapshot.success as Callback
      const complete = snapshot.complete as Callback
      const replayable = replays < config.maxReplays
      if (process.env.NODE_ENV !== 'production') {
        engine.emit({ type: 'request-send', request, replay: replays, generation: session.generation })
      }
      // Both wrappers decide from the response alone, so they agree whatever order they run in.
      options.success = (response: unknown) => {
        // A 401 that lands after a logout goes to the caller as it is: renewing would log in again.
        if (!replaying(replayable, response)) return success?.(response)
        const { generation } = session
        if (process.env.NODE_ENV !== 'production') engine.emit({ type: 'request-unauthorized', request, generation })
        wait(engine.recover(generation), snapshot, replays + 1, request)
      }
      if (!complete && process.env.NODE_ENV === 'production') return
      options.complete = (response: unknown) => {
        if (replaying(replayable, response)) return
        if (process.env.NODE_ENV !== 'production') {
          const { statusCode, errMsg } = Object(response) as { statusCode?: number; errMsg?: string }
          engine.emit({ type: 'request-end', request, statusCode, error: statusCode === undefined ? errMsg : undefined })
        }
        complete?.(response)
      }
    }
  }

  /** A request the plugin cannot send gets the error through its own `fail` and `complete`. */
  function fail(options: UniOptions, error: AuthError, request: number): void {
    if (process.env.NODE_ENV !== 'production') engine.emit({ type: 'request-end', request, error: error.code })
    call(options.fail as Callback, error)
    call(options.complete as Callback, error)
  }

  function replaying(replayable: boolean, response: unknown): boolean {
    return replayable && !engine.loggedOut && isAuthFailure(response)
  }

  function isAuthFailure(response: unknown): boolean {
    if (typeof response !== 'object' || response === null) return false
    try {
      return config.isAuthFailure(response as Record<string, unknown>)
    } catch (error) {
      // A broken predicate must not swallow the response: it counts as "not an auth failure".
      console.error('[uni-mp-auth] isAuthFailure threw', error)
      return false
    }
  }
}

function call(callback: Callback, value: unknown): void {
  try {
    callback?.(value)
  } catch (error) {
    // As uni-app's own tryCatch around callbacks: a throwing callback is the caller's bug.
    console.error(error)
  }
}
