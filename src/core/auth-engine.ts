import { type EngineOptions, resolveEngineOptions } from './engine-options.js'
import { AuthError, isAuthError, toAuthError } from './errors.js'
import type { AuthEvent, AuthEventInit, AuthEventListener, LoginReason } from './events.js'
import { parseSession, type StoredState, serializeSession } from './persisted-session.js'
import { assertTokenGrant } from './token-grant.js'
import type {
  AuthStatus,
  AuthUser,
  Clock,
  LoginExchange,
  LoginPlatform,
  PlatformSessionState,
  RefreshExchange,
  Session,
  StorageLike,
  TokenGrant,
} from './types.js'

/** What the engine needs from its host; everything else is `EngineOptions`. */
export interface EngineHost {
  platform: LoginPlatform
  login: LoginExchange
  /** When given, a stale or refused token is first renewed with its refresh token. */
  refresh?: RefreshExchange
  /** Where the session persists between launches; memory only when absent. */
  storage?: StorageLike
  clock?: Clock
}

/**
 * The session engine: one login at a time, shared by every caller, bounded by one deadline.
 * docs/ARCHITECTURE.md lists the invariants it keeps and the tests that pin each one.
 */
export interface AuthEngine {
  readonly status: AuthStatus
  /** The current token's session; `null` when logged out or after the backend refused it. */
  readonly session: Session | null
  /** The failure of the latest attempt, until one succeeds. */
  readonly error: AuthError | null
  /**
   * Set by `logout()` and persisted; cleared only when the explicit login action (`relogin()`)
   * succeeds. Meanwhile nothing logs in by itself. A fresh install is not logged out.
   */
  readonly loggedOut: boolean
  /** The number of the latest login attempt (the one running, if any): links waiters to it. */
  readonly attempt: number
  /**
   * The session if it can be used right now, else `null`. Never waits. With `sessionCheck:
   * 'background'`, the first call of an app run starts the platform session check alongside.
   */
  peek(): Session | null
  /**
   * Resolves with a usable session, logging in (once, shared by all callers) when needed. After a
   * logout it rejects with `LOGGED_OUT` at once (or joins the explicit login already running).
   */
  ensureSession(): Promise<Session>
  /**
   * The explicit login action: forces a fresh platform login, shared with an attempt already
   * running, and its success ends the logged-out state.
   */
  relogin(): Promise<Session>
  /** The backend refused the token of `generation`: renews it, at most once per generation. */
  recover(generation: number): Promise<Session>
  /** Replaces the user of the current session (after a profile change such as phone binding). */
  updateUser(user: AuthUser | null): void
  /**
   * Ends the session and keeps it ended: waiters reject with `LOGGED_OUT`, the token leaves storage,
   * the logged-out mark is stored in its place. Returns what ended.
   */
  logout(): Session | null
  /** App lifecycle: a long stay in the background makes the next use check the platform session again. */
  markBackground(): void
  markForeground(): void
  /** Every event from now on; returns the unsubscribe function. */
  subscribe(listener: AuthEventListener): () => void
  /** Reports an event through the same stream (the request interceptor uses it). */
  emit(event: AuthEventInit): void
}

interface Flight {
  promise: Promise<Session>
  id: number
  /** Set when a relogin joins an attempt that was only going to check the platform session. */
  force: boolean
  resolve(session: Session): void
  reject(error: AuthError): void
  timer: unknown
  startedAt: number
}

/** A new token, or `null` when the attempt keeps the session it had (the check confirmed it). */
type Grant = (TokenGrant & { refreshed?: boolean }) | null

const systemClock: Clock = {
  // Looked up on every call, so fake timers installed after the engine was created still drive it.
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
}

export function createAuthEngine(host: EngineHost, options?: EngineOptions): AuthEngine {
  const { platform, login, refresh, storage, clock = systemClock } = host
  const tuning = resolveEngineOptions(options)
  const { loginTimeoutMs, storageKey } = tuning
  const listeners = new Set<AuthEventListener>()
  const stored = restore()
  /** docs/ARCHITECTURE.md, invariant 9: after an explicit logout only relogin() logs in again. */
  let loggedOut = stored === 'logged-out'
  let session = loggedOut ? null : (stored as Session | null)
  let status: AuthStatus = session ? 'authenticated' : loggedOut ? 'logged-out' : 'idle'
  let lastGeneration = session ? session.generation : 0
  /** Tokens of this generation and older were refused by the backend (or logged out). */
  let rejectedGeneration = 0
  /** Whether the platform session was confirmed in this app run. */
  let checked = false
  let backgroundCheckStarted = false
  /** Set by a long stay in the background: the next check is a re-check. */
  let rechecking = false
  let inflight: Flight | null = null
  let logins = 0
  let failures = 0
  let retryAt = 0
  let error: AuthError | null = null
  let backgroundSince: number | null = null

  function emit(event: AuthEventInit): void {
    const stamped = { ...event, at: clock.now() } as AuthEvent
    for (const listener of [...listeners]) {
      // A throwing listener is the listener's bug; it must not break the engine's own transitions.
      try {
        listener(stamped)
      } catch (listenerError) {
        console.error('[uni-mp-auth]', listenerError)
      }
    }
  }

  function restore(): StoredState {
    try {
      const raw = storage ? storage.getItem(storageKey) : null
      const restored = parseSession(raw)
      // Anything unreadable under our key is removed, so it cannot confuse a later launch.
      if (!restored && raw !== null) storage?.removeItem(storageKey)
      return restored
    } catch {
      return null
    }
  }

  function setSession(next: Session | null): void {
    session = next
    try {
      // Only logout() ends a session, so no session means the logged-out mark (the token goes).
      storage?.setItem(storageKey, serializeSession(next || 'logged-out'))
    } catch {
      // Storage can throw (quota, platform quirks); the session in memory stays valid regardless.
    }
    emit({ type: 'session', session: usableSession() })
  }

  function setStatus(next: AuthStatus): void {
    if (status === next) return
    status = next
    emit({ type: 'status', status })
  }

  const usable = (candidate: Session | null): candidate is Session => !!candidate && candidate.generation > rejectedGeneration
  const fresh = (candidate: Session): boolean => candidate.renewAt === null || clock.now() < candidate.renewAt
  const usableSession = () => (usable(session) ? session : null)
  const checkReason = (): LoginReason => (rechecking ? 'recheck' : 'check')

  function peek(): Session | null {
    if (!usable(session) || !fresh(session) || (!checked && tuning.sessionCheck === 'blocking')) return null
    if (!checked && !backgroundCheckStarted && !inflight) {
      backgroundCheckStarted = true
      // Nobody awaits the background check: its outcome reaches everyone through the next peek().
      start(checkReason()).catch(() => {})
    }
    return session
  }

  function start(reason: LoginReason, generation = session ? session.generation : 0): Promise<Session> {
    const flight = { id: ++logins, force: reason === 'relogin', startedAt: clock.now() } as Flight
    flight.promise = new Promise((resolve, reject) => {
      flight.resolve = resolve
      flight.reject = reject
    })
    inflight = flight
    emit({ type: 'login-start', login: flight.id, reason, generation })
    flight.timer = clock.setTimeout(
      () => finish(flight, new AuthError('LOGIN_TIMEOUT', `login took over ${loginTimeoutMs} ms`)),
      loginTimeoutMs,
    )
    run(flight, reason === 'check' || reason === 'recheck').then(
      (grant) => finish(flight, grant),
      (reason: unknown) => finish(flight, toAuthError(reason, 'LOGIN_EXCHANGE_FAILED', 'login failed')),
    )
    return flight.promise
  }

  async function run(flight: Flight, check: boolean): Promise<Grant> {
    const current = () => inflight === flight
    if (check && usable(session)) {
      if (tuning.sessionCheck === 'blocking') setStatus('checking')
      const state = await checkPlatformSession(Math.min(tuning.checkSessionTimeoutMs, loginTimeoutMs / 2))
      // Anything but a definite "expired" keeps the token: a 401 catches the rest.
      if (!current() || (state !== 'expired' && !flight.force && usable(session))) return null
    }
    setStatus('logging-in')
    // A refresh token renews a stale or refused token; an expired platform session needs a new code.
    const refreshToken = session?.refreshToken
    if (refresh && refreshToken && !flight.force && !(usable(session) && fresh(session))) {
      try {
        return { ...assertTokenGrant(await refresh(refreshToken)), refreshed: true }
      } catch {
        // A refused refresh token is normal (expired, revoked): fall back to a full login.
        if (!current()) return null
      }
    }
    let code: unknown
    try {
      code = await platform.getCode()
    } catch (reason) {
      throw toAuthError(reason, 'LOGIN_PLATFORM_FAILED', 'getting a login code failed')
    }
    if (!code || typeof code !== 'string') throw new AuthError('LOGIN_PLATFORM_FAILED', 'no login code', code)
    if (!current()) return null
    return assertTokenGrant(await login(code))
  }

  /** A throwing, failing or silent checkSession is "unknown", never a reason to hang or log in. */
  function checkPlatformSession(ms: number): Promise<PlatformSessionState> {
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

  /**
   * Ends a flight once with a grant (or `null`: kept) or an error. A flight that lost to logout or
   * its deadline is already settled, and whatever it produces afterwards is void.
   */
  function finish(flight: Flight, result: Grant | AuthError): void {
    if (inflight !== flight) return
    inflight = null
    clock.clearTimeout(flight.timer)
    const now = clock.now()
    const failed = isAuthError(result)
    // Reported after the state moved on: a listener that starts another attempt (a 401 landing now)
    // sees the login ended and leaves the status to the new attempt.
    const reportEnd = () =>
      emit({
        type: 'login-end',
        login: flight.id,
        ms: now - flight.startedAt,
        outcome: failed ? 'failed' : !result ? 'confirmed' : result.refreshed ? 'refreshed' : 'logged-in',
        error: failed ? result : undefined,
      })
    if (failed) {
      failures++
      // The first failure is retried at once, then the pause doubles. A server's Retry-After wins if longer.
      const pause = failures > 1 ? Math.min(tuning.backoffMaxMs, tuning.backoffMs * 2 ** (failures - 2)) : 0
      retryAt = now + Math.max(pause, result.retryAfterMs || 0)
      error = result
      setStatus('failed')
      reportEnd()
      flight.reject(result)
      return
    }
    failures = retryAt = 0
    error = null
    // While logged out only relogin() starts an attempt: its success is the explicit login.
    loggedOut = false
    // Confirmed by the check, or created by a fresh login: either way, no need to check again this run.
    checked = true
    if (result) {
      const lifetime = result.expiresIn ? result.expiresIn * 1000 : 0
      const previous = session || ({} as Partial<Session>)
      setSession({
        token: result.token,
        expiresAt: lifetime ? now + lifetime : null,
        // Never renew earlier than half-way: a skew longer than the token's life would log in forever.
        renewAt: lifetime ? now + Math.max(lifetime - tuning.expirySkewMs, lifetime / 2) : null,
        generation: ++lastGeneration,
        refreshToken: result.refreshToken || previous.refreshToken || null,
        user: result.user || previous.user || null,
      })
    }
    setStatus('authenticated')
    reportEnd()
    if (usable(session)) flight.resolve(session)
    else flight.reject(new AuthError('LOGIN_EXCHANGE_FAILED', 'the token was refused while being confirmed'))
  }

  /** The shared attempt if one runs, else a fresh one unless the backoff says wait. */
  function join(reason: LoginReason, generation?: number): Promise<Session> {
    if (inflight) return inflight.promise
    if (loggedOut) return Promise.reject(new AuthError('LOGGED_OUT', 'logged out: relogin() logs in again'))
    const wait = retryAt - clock.now()
    if (wait > 0)
      return Promise.reject(new AuthError('LOGIN_BACKOFF', `login failed ${failures}× in a row; next try in ${wait} ms`, error, wait))
    return start(reason, generation)
  }

  return {
    get status() {
      return status
    },
    get session() {
      return usableSession()
    },
    get error() {
      return error
    },
    get loggedOut() {
      return loggedOut
    },
    get attempt() {
      return logins
    },
    peek,
    ensureSession() {
      const ready = peek()
      if (ready) return Promise.resolve(ready)
      return join(!session ? 'cold-start' : !usable(session) ? 'unauthorized' : !fresh(session) ? 'expired' : checkReason())
    },
    relogin() {
      if (!inflight) return start('relogin')
      inflight.force = true
      return inflight.promise
    },
    recover(generation) {
      if (usable(session) && session.generation > generation && fresh(session)) return Promise.resolve(session)
      if (session && session.generation === generation && generation > rejectedGeneration) {
        rejectedGeneration = generation
        emit({ type: 'session', session: null })
      }
      return join('unauthorized', generation)
    },
    updateUser(user) {
      if (usable(session)) setSession({ ...session, user })
    },
    logout() {
      // Even a refused session goes back to the caller: its refresh token may still need revoking.
      const ended = session
      if (inflight) finish(inflight, new AuthError('LOGGED_OUT', 'logged out during the login'))
      loggedOut = true
      rejectedGeneration = lastGeneration
      failures = retryAt = 0
      error = null
      setSession(null)
      setStatus('logged-out')
      emit({ type: 'logout' })
      return ended
    },
    markBackground() {
      backgroundSince = clock.now()
    },
    markForeground() {
      if (backgroundSince !== null && clock.now() - backgroundSince >= tuning.recheckAfterBackgroundMs) {
        checked = backgroundCheckStarted = false
        rechecking = true
      }
      backgroundSince = null
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    emit,
  }
}
