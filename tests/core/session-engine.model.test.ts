import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AuthErrorCode, isAuthError } from '../../src/core/errors'
import { parseSession, serializeSession } from '../../src/core/persisted-session'
import { createAuthEngine } from '../../src/core/auth-engine'
import type { Clock, PlatformSessionState, Session, TokenGrant } from '../../src/core/types'
import { flush } from '../../testkit/harness/deferred'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'

/**
 * Model-based test: random interleavings of callers, platform answers, failures, time and logouts,
 * with the engine's invariants checked after every step. Runs 1,000 schedules by default
 * (FC_RUNS=20000 npm run test:unit for a longer hunt).
 */
const RUNS = Number(process.env.FC_RUNS) || 1000
const TIMEOUT = 5000
const CHECK_TIMEOUT = 1000
const KEY = 'session'
const CODES: AuthErrorCode[] = ['LOGIN_PLATFORM_FAILED', 'LOGIN_EXCHANGE_FAILED', 'LOGIN_TIMEOUT', 'LOGIN_BACKOFF', 'LOGGED_OUT']

type Action =
  | { t: 'ensure' }
  | { t: 'relogin' }
  | { t: 'recover'; stale: boolean }
  | { t: 'logout' }
  | { t: 'answer'; ok: boolean; pick: number }
  | { t: 'advance'; ms: number }

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Action>({ t: 'ensure' }) },
  { weight: 1, arbitrary: fc.constant<Action>({ t: 'relogin' }) },
  { weight: 2, arbitrary: fc.boolean().map<Action>((stale) => ({ t: 'recover', stale })) },
  { weight: 1, arbitrary: fc.constant<Action>({ t: 'logout' }) },
  { weight: 6, arbitrary: fc.record({ ok: fc.boolean(), pick: fc.nat(5) }).map<Action>((a) => ({ t: 'answer', ...a })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 * TIMEOUT }).map<Action>((ms) => ({ t: 'advance', ms })) },
)

function manualClock() {
  let now = 0
  let timers: Array<{ at: number; fn: () => void; id: number }> = []
  let ids = 0
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: ++ids })
      return ids
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id)
    },
  }
  const advance = (ms: number) => {
    now += ms
    const due = timers.filter((t) => t.at <= now)
    timers = timers.filter((t) => t.at > now)
    due.forEach((t) => t.fn())
  }
  return { clock, advance }
}

interface PendingOp {
  kind: 'getCode' | 'exchange' | 'check'
  /** Logouts + timeouts seen when the op started: an op of an older epoch was abandoned by the engine. */
  epoch: number
  settle(ok: boolean): void
}

interface Tracked {
  createdAfterLogouts: number
  /** ensureSession() / recover() called while logged out, with no login asked for: must reject LOGGED_OUT. */
  refusedWhileLoggedOut: boolean
  state: 'pending' | 'resolved' | 'rejected'
  value?: Session
  error?: unknown
}

/** What the previous run left in storage: nothing (a fresh install), a session (0.3 or 0.2 format), or a logout. */
type Launch = 'fresh' | 'session' | 'session-v1' | 'logged-out'
const T0: Session = { token: 't0', expiresAt: null, renewAt: null, generation: 1, refreshToken: null, user: null }
const STORED: Record<Launch, Record<string, string>> = {
  fresh: {},
  session: { [KEY]: serializeSession(T0) },
  'session-v1': { [KEY]: JSON.stringify({ v: 1, ...T0 }) },
  'logged-out': { [KEY]: serializeSession('logged-out') },
}

async function runSchedule(actions: Action[], sessionCheck: 'blocking' | 'background', launch: Launch) {
  const { clock, advance } = manualClock()
  const storage = createMemoryStorage(STORED[launch])
  const pending: PendingOp[] = []
  const tracked: Tracked[] = []
  /** For each token: how many logouts had happened when the exchange that issued it was called. */
  const issuedAfterLogouts = new Map<string, number>([['t0', 0]])
  let epoch = 0
  let logouts = 0
  let tokens = 0
  let maxGeneration = 0
  /** The model of sticky logout: logged out (now, or by the previous run) and no login has succeeded since. */
  let sticky = launch === 'logged-out'
  /** Whether the app called the explicit login action (relogin) since the user became logged out. */
  let loginAsked = false
  const violations: string[] = []
  /** Nothing may log in behind the user's back: no platform call while logged out and not asked to log in. */
  const allowedNow = () => !sticky || loginAsked

  const op = <T>(kind: PendingOp['kind'], onOk: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!allowedNow()) violations.push(`${kind} started while logged out, before any relogin()`)
      pending.push({ kind, epoch, settle: (ok) => (ok ? resolve(onOk()) : reject(new Error(`${kind} failed`))) })
    })

  const engine = createAuthEngine(
    {
      clock,
      storage,
      platform: {
        getCode: () => op('getCode', () => `code-${pending.length}`),
        checkSession: () => {
          const check = op<PlatformSessionState>('check', () => 'valid')
          // The engine stops waiting for a silent check after CHECK_TIMEOUT: from then on it is stale.
          const entry = pending.at(-1)!
          clock.setTimeout(() => (entry.epoch = -1), CHECK_TIMEOUT)
          return check
        },
      },
      login: () => {
        const at = logouts
        return op<TokenGrant>('exchange', () => {
          const token = `t${++tokens}`
          issuedAfterLogouts.set(token, at)
          return { token, expiresIn: 60 }
        })
      },
    },
    { storageKey: KEY, loginTimeoutMs: TIMEOUT, checkSessionTimeoutMs: CHECK_TIMEOUT, sessionCheck, backoffMs: 100, backoffMaxMs: 1000 },
  )
  engine.subscribe((event) => {
    if (event.type === 'login-end' && event.error?.code === 'LOGIN_TIMEOUT') epoch++
  })

  const track = (promise: Promise<Session>, automatic = false) => {
    const entry: Tracked = { createdAfterLogouts: logouts, state: 'pending', refusedWhileLoggedOut: automatic && !allowedNow() }
    tracked.push(entry)
    promise.then(
      (value) => {
        // A caller got a session: a login succeeded, which only the explicit login may do after a logout.
        sticky = false
        Object.assign(entry, { state: 'resolved', value })
      },
      (error: unknown) => Object.assign(entry, { state: 'rejected', error }),
    )
  }

  const checkStepInvariants = () => {
    // Invariant 1: at most one live platform operation (check, code or exchange) at any time.
    const live = pending.filter((p) => p.epoch === epoch)
    expect(live.length).toBeLessThanOrEqual(1)
    // Generations only grow.
    const generation = engine.session?.generation ?? 0
    if (engine.session) {
      expect(generation).toBeGreaterThanOrEqual(maxGeneration)
      maxGeneration = generation
      // Invariant 10: what is stored is what is in memory.
      expect(parseSession(storage.getItem(KEY))).toEqual(engine.session)
    }
    // Invariant 9: the logged-out mark, in memory and in storage, until the explicit login succeeds.
    expect(violations).toEqual([])
    expect(engine.loggedOut).toBe(sticky)
    if (sticky) {
      expect(parseSession(storage.getItem(KEY))).toBe('logged-out')
      expect(engine.session).toBeNull()
      expect(engine.peek()).toBeNull()
    }
  }

  for (const a of actions) {
    switch (a.t) {
      case 'ensure':
        track(engine.ensureSession(), true)
        break
      case 'relogin':
        loginAsked = true
        track(engine.relogin())
        break
      case 'recover': {
        const generation = engine.session?.generation ?? 0
        track(engine.recover(a.stale ? Math.max(0, generation - 1) : generation), true)
        break
      }
      case 'logout': {
        const waiting = tracked.filter((t) => t.state === 'pending')
        engine.logout()
        sticky = true
        loginAsked = false
        logouts++
        epoch++
        await flush()
        // Invariant 9: every caller waiting at the logout is rejected with LOGGED_OUT.
        for (const t of waiting) {
          expect(t.state).toBe('rejected')
          expect((t.error as { code?: string }).code).toBe('LOGGED_OUT')
        }
        break
      }
      case 'answer':
        if (pending.length > 0) {
          const [p] = pending.splice(a.pick % pending.length, 1)
          p!.settle(a.ok)
        }
        break
      case 'advance':
        advance(a.ms)
        break
    }
    await flush()
    checkStepInvariants()
  }

  // Invariant 2: with no further answers at all, everything settles by the deadline.
  advance(TIMEOUT)
  await flush()
  expect(violations).toEqual([])
  for (const t of tracked) {
    expect(t.state).not.toBe('pending')
    if (t.refusedWhileLoggedOut) expect((t.error as { code?: string }).code).toBe('LOGGED_OUT')
    if (t.state === 'rejected') {
      expect(isAuthError(t.error)).toBe(true)
      expect(CODES).toContain((t.error as { code: AuthErrorCode }).code)
    } else {
      expect(t.value!.token).toMatch(/^t\d+$/)
      // Invariant 9: no caller that came after a logout gets a token from a login started before it.
      expect(issuedAfterLogouts.get(t.value!.token)).toBeGreaterThanOrEqual(t.createdAfterLogouts)
    }
  }
}

describe('session engine model (fast-check)', () => {
  it(`keeps its invariants over ${RUNS} random schedules`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(action, { minLength: 1, maxLength: 40 }),
        fc.constantFrom('blocking' as const, 'background' as const),
        fc.constantFrom<Launch>('fresh', 'session', 'session-v1', 'logged-out'),
        (actions, sessionCheck, launch) => runSchedule(actions, sessionCheck, launch),
      ),
      { numRuns: RUNS },
    )
  }, 120_000)
})
