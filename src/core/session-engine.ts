import { type BackoffOptions, backoffDelay } from './backoff'
import { systemClock } from './clock'
import { createEmitter, type Listener } from './emitter'
import { AuthError, toAuthError } from './errors'
import { parseSession, serializeSession } from './persisted-session'
import { assertTokenGrant } from './token-grant'
import type {
  AuthStatus,
  AuthUser,
  Clock,
  CodeExchange,
  LoginPlatform,
  PlatformSessionState,
  RefreshExchange,
  Session,
  StorageLike,
  TimerHandle,
  TokenGrant,
} from './types'

export interface SessionEngineOptions {
  platform: LoginPlatform
  exchange: CodeExchange
  /** When given, an expired or rejected token is first renewed with its refresh token. */
  refresh?: RefreshExchange
  /** Where the session persists between launches. Omit for memory only. */
  storage?: StorageLike
  /** @default 'uni-mp-auth:session' */
  storageKey?: string
  clock?: Clock
  /** One deadline for a whole attempt: session check, code and exchange together. @default 10000 */
  loginTimeoutMs?: number
  /**
   * A `checkSession` that has not answered by then counts as "unknown" (keep the token, let a 401
   * decide) instead of holding every request until the login deadline. Capped at half of
   * `loginTimeoutMs`. @default 3000
   */
  checkSessionTimeoutMs?: number
  /**
   * How a restored token meets the first check of the platform session in an app run.
   * `'blocking'`: requests wait for `checkSession` (one round trip) before the token is used.
   * `'background'`: the token is used at once and the check runs alongside; if the platform session
   * turned out expired, one login follows in the background and later requests get the new token
   * (the backend still accepts the old one meanwhile, or the 401 path renews it).
   * @default 'blocking'
   */
  sessionCheck?: 'blocking' | 'background'
  /** A token this close to its expiry is renewed before use rather than sent. @default 30000 */
  expirySkewMs?: number
  backoff?: BackoffOptions
  /** After this long in the background, the platform session is checked once more. @default 300000 */
  recheckAfterBackgroundMs?: number
  /** Receives errors thrown by event listeners, which the engine does not let break its state. */
  onListenerError?: (error: unknown) => void
}

export interface SessionEvents extends Record<string, unknown[]> {
  status: [status: AuthStatus]
  /** The usable session changed: a login, a restore, a rejection or a logout. */
  session: [session: Session | null]
  login: [session: Session]
  error: [error: AuthError]
  logout: [previous: Session | null]
}

export interface SessionEngine {
  readonly status: AuthStatus
  /** The current token's session, or `null` when logged out or after the backend rejected it. */
  readonly session: Session | null
  readonly lastError: AuthError | null
  /** True only while a custom exchange function is being called synchronously (deadlock probe). */
  readonly inExchangeCall: boolean
  /**
   * The session if it can be used right now, else `null`. Never waits; with
   * `sessionCheck: 'background'` the first call starts the session check alongside.
   */
  peek(): Session | null
  /** Resolves with a usable session, logging in (once, shared by all callers) when needed. */
  ensureSession(): Promise<Session>
  /** Forces a fresh platform login, shared with any attempt already running. */
  relogin(): Promise<Session>
  /** Call when the backend rejected the token of `generation`; renews it at most once per generation. */
  recover(generation: number): Promise<Session>
  /** Replaces the user of the current session (after a profile change such as phone binding). */
  updateUser(user: AuthUser | null): void
  /** Ends the session: waiters reject with `LOGGED_OUT`, storage is cleared. Returns what was cleared. */
  logout(): Session | null
  /** App lifecycle: lets a long stay in the background trigger one new session check. */
  markBackground(): void
  markForeground(): void
  on<K extends keyof SessionEvents>(event: K, listener: Listener<SessionEvents[K]>): () => void
}

type FlightKind = 'ensure' | 'relogin' | 'recover'

interface Flight {
  readonly promise: Promise<Session>
  /** Upgraded when a relogin joins an attempt that was only going to check the session. */
  forceLogin: boolean
  resolve(session: Session): void
  reject(error: AuthError): void
  timer: TimerHandle
}

type Outcome = { kind: 'kept' } | { kind: 'granted'; grant: TokenGrant }

export function createSessionEngine(options: SessionEngineOptions): SessionEngine {
  const {
    platform,
    exchange,
    refresh,
    storage,
    storageKey = 'uni-mp-auth:session',
    clock = systemClock,
    loginTimeoutMs = 10_000,
    checkSessionTimeoutMs = 3000,
    sessionCheck = 'blocking',
    expirySkewMs = 30_000,
    backoff,
    recheckAfterBackgroundMs = 300_000,
    onListenerError = (error) => console.error('[uni-mp-auth] event listener failed', error),
  } = options
  if (typeof platform?.getCode !== 'function' || typeof platform.checkSession !== 'function') {
    throw new AuthError('INVALID_OPTIONS', '`platform` must provide getCode() and checkSession()')
  }
  if (typeof exchange !== 'function') {
    throw new AuthError('INVALID_OPTIONS', '`exchange` must be a function (code) => Promise<{ token }>')
  }
  if (!(loginTimeoutMs > 0)) throw new AuthError('INVALID_OPTIONS', '`loginTimeoutMs` must be a positive number')

  const events = createEmitter<SessionEvents>(onListenerError)
  let status: AuthStatus = 'idle'
  let session: Session | null = restore()
  let lastGeneration = session?.generation ?? 0
  /** Tokens of this generation and older were refused by the backend. */
  let rejectedGeneration = 0
  /** Whether the platform session was confirmed alive during this app run. */
  let checked = false
  let backgroundCheckStarted = false
  let inflight: Flight | null = null
  let failures = 0
  let retryAt = 0
  let lastError: AuthError | null = null
  let inExchangeCall = false
  let backgroundSince: number | null = null

  function restore(): Session | null {
    if (!storage) return null
    let raw: string | null = null
    try {
      raw = storage.getItem(storageKey)
    } catch {
      return null
    }
    const restored = parseSession(raw)
    if (!restored && raw !== null) safely(() => storage.removeItem(storageKey))
    return restored
  }

  function persist(next: Session | null): void {
    if (!storage) return
    // Storage can throw (quota, platform quirks); the session in memory stays valid regardless.
    safely(() => (next ? storage.setItem(storageKey, serializeSession(next)) : storage.removeItem(storageKey)))
  }

  function setStatus(next: AuthStatus): void {
    if (status === next) return
    status = next
    events.emit('status', next)
  }

  function usable(candidate: Session | null): candidate is Session {
    return candidate !== null && candidate.generation > rejectedGeneration
  }

  function fresh(candidate: Session): boolean {
    return candidate.renewAt === null || clock.now() < candidate.renewAt
  }

  function peek(): Session | null {
    if (!usable(session) || !fresh(session)) return null
    if (checked) return session
    if (sessionCheck === 'blocking') return null
    if (!backgroundCheckStarted && !inflight) {
      backgroundCheckStarted = true
      // Its outcome reaches everyone through events and the next peek(); nobody awaits it here.
      startFlight('ensure').catch(() => {})
    }
    return session
  }

  function backoffError(): AuthError | null {
    const wait = retryAt - clock.now()
    if (wait <= 0) return null
    return new AuthError('LOGIN_BACKOFF', `login failed ${failures} times in a row; next attempt allowed in ${wait} ms`, {
      cause: lastError,
      retryAfterMs: wait,
    })
  }

  function startFlight(kind: FlightKind): Promise<Session> {
    let resolve!: (session: Session) => void
    let reject!: (error: AuthError) => void
    const promise = new Promise<Session>((res, rej) => {
      resolve = res
      reject = rej
    })
    const flight: Flight = { promise, forceLogin: kind === 'relogin', resolve, reject, timer: undefined }
    inflight = flight
    flight.timer = clock.setTimeout(() => {
      if (inflight !== flight) return
      fail(flight, new AuthError('LOGIN_TIMEOUT', `login did not finish within ${loginTimeoutMs} ms`))
    }, loginTimeoutMs)
    run(flight, kind).then(
      (outcome) => succeed(flight, outcome),
      (error: unknown) => fail(flight, toAuthError(error, 'LOGIN_EXCHANGE_FAILED', 'login failed')),
    )
    return promise
  }

  async function run(flight: Flight, kind: FlightKind): Promise<Outcome> {
    const current = () => inflight === flight
    if (kind === 'ensure' && usable(session) && fresh(session) && !checked) {
      setStatus('checking')
      const state = await checkSessionWithin(Math.min(checkSessionTimeoutMs, loginTimeoutMs / 2))
      if (!current()) return { kind: 'kept' }
      // Anything but a definite "expired" keeps the token: the 401 path catches the rest.
      if (state !== 'expired') {
        checked = true
        if (usable(session) && !flight.forceLogin) return { kind: 'kept' }
      }
    }
    // A refresh token renews a rejected or expired token; a dead platform session needs a new code.
    const refreshToken = session?.refreshToken
    if (refresh && refreshToken && !flight.forceLogin && !(usable(session) && fresh(session))) {
      setStatus('logging-in')
      try {
        return { kind: 'granted', grant: assertTokenGrant(await refresh(refreshToken)) }
      } catch {
        // A refused refresh token is normal (expired, revoked): fall back to a full login.
        if (!current()) return { kind: 'kept' }
      }
    }
    setStatus('logging-in')
    let code: string
    try {
      code = await platform.getCode()
    } catch (error) {
      throw toAuthError(error, 'LOGIN_PLATFORM_FAILED', 'the platform login failed')
    }
    if (typeof code !== 'string' || code === '') {
      throw new AuthError('LOGIN_PLATFORM_FAILED', 'the platform login returned no code')
    }
    if (!current()) return { kind: 'kept' }
    let pending: Promise<TokenGrant>
    inExchangeCall = true
    try {
      pending = exchange(code)
    } finally {
      inExchangeCall = false
    }
    try {
      return { kind: 'granted', grant: assertTokenGrant(await pending) }
    } catch (error) {
      throw toAuthError(error, 'LOGIN_EXCHANGE_FAILED', 'the code exchange failed')
    }
  }

  /** A throwing, failing or silent checkSession is "unknown", never a reason to hang or log in. */
  function checkSessionWithin(ms: number): Promise<PlatformSessionState> {
    return new Promise((resolve) => {
      const timer = clock.setTimeout(() => resolve('unknown'), ms)
      const done = (state: PlatformSessionState) => {
        clock.clearTimeout(timer)
        resolve(state)
      }
      try {
        platform.checkSession().then(done, () => done('unknown'))
      } catch {
        done('unknown')
      }
    })
  }

  function settle(flight: Flight): boolean {
    if (inflight !== flight) return false
    inflight = null
    clock.clearTimeout(flight.timer)
    return true
  }

  function succeed(flight: Flight, outcome: Outcome): void {
    // A flight that lost to logout or its deadline has already been settled; its result is void.
    if (!settle(flight)) return
    failures = 0
    retryAt = 0
    lastError = null
    if (outcome.kind === 'granted') {
      const { grant } = outcome
      const now = clock.now()
      const lifetimeMs = grant.expiresIn ? grant.expiresIn * 1000 : null
      session = {
        token: grant.token,
        expiresAt: lifetimeMs === null ? null : now + lifetimeMs,
        // Never renew earlier than half-way: a skew larger than the token's life would log in forever.
        renewAt: lifetimeMs === null ? null : now + Math.max(lifetimeMs - expirySkewMs, lifetimeMs / 2),
        generation: ++lastGeneration,
        refreshToken: grant.refreshToken ?? session?.refreshToken ?? null,
        user: grant.user ?? session?.user ?? null,
      }
      // A fresh platform login just created the platform session; no need to check it again.
      checked = true
      persist(session)
      setStatus('authenticated')
      events.emit('session', session)
      events.emit('login', session)
    } else {
      setStatus('authenticated')
    }
    if (usable(session)) flight.resolve(session)
    else flight.reject(new AuthError('LOGIN_EXCHANGE_FAILED', 'the session was rejected while it was being confirmed'))
  }

  function fail(flight: Flight, error: AuthError): void {
    if (!settle(flight)) return
    failures += 1
    retryAt = clock.now() + backoffDelay(failures, backoff)
    lastError = error
    setStatus('failed')
    events.emit('error', error)
    flight.reject(error)
  }

  function ensureSession(): Promise<Session> {
    const ready = peek()
    if (ready) return Promise.resolve(ready)
    if (inflight) return inflight.promise
    const waiting = backoffError()
    if (waiting) return Promise.reject(waiting)
    return startFlight('ensure')
  }

  function relogin(): Promise<Session> {
    if (inflight) {
      inflight.forceLogin = true
      return inflight.promise
    }
    return startFlight('relogin')
  }

  function recover(generation: number): Promise<Session> {
    if (session && session.generation > generation && usable(session) && fresh(session)) {
      return Promise.resolve(session)
    }
    if (session && session.generation === generation && generation > rejectedGeneration) {
      rejectedGeneration = generation
      events.emit('session', null)
    }
    if (inflight) return inflight.promise
    const waiting = backoffError()
    if (waiting) return Promise.reject(waiting)
    return startFlight('recover')
  }

  function updateUser(user: AuthUser | null): void {
    if (!usable(session)) return
    session = { ...session, user }
    persist(session)
    events.emit('session', session)
  }

  function logout(): Session | null {
    const previous = session
    const flight = inflight
    if (flight) {
      settle(flight)
      flight.reject(new AuthError('LOGGED_OUT', 'logged out while waiting for the login'))
    }
    session = null
    rejectedGeneration = lastGeneration
    failures = 0
    retryAt = 0
    lastError = null
    persist(null)
    setStatus('logged-out')
    events.emit('session', null)
    events.emit('logout', previous)
    return previous
  }

  return {
    get status() {
      return status
    },
    get session() {
      return usable(session) ? session : null
    },
    get lastError() {
      return lastError
    },
    get inExchangeCall() {
      return inExchangeCall
    },
    peek,
    ensureSession,
    relogin,
    recover,
    updateUser,
    logout,
    markBackground() {
      backgroundSince = clock.now()
    },
    markForeground() {
      if (backgroundSince !== null && clock.now() - backgroundSince >= recheckAfterBackgroundMs) checked = false
      backgroundSince = null
    },
    on: events.on,
  }
}

function safely(action: () => void): void {
  try {
    action()
  } catch {
    // Deliberately ignored: see the callers for why each failure is harmless.
  }
}
