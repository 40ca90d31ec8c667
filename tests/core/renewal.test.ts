import { describe, expect, it } from 'vitest'
import { AuthError } from '../../src/core/errors'
import type { AuthEvent } from '../../src/core/events'
import type { Clock, TokenGrant } from '../../src/core/types'
import { deferred, flush } from '../../testkit/harness/deferred'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'
import { createHarness, type Harness } from '../../testkit/harness/engine-harness'

/** A clock the test moves by hand; its timers never fire. */
function handClock(start = 0) {
  const clock = { time: start, now: () => clock.time, setTimeout: () => 0, clearTimeout: () => {} }
  return clock as Clock & { time: number }
}

const withdrawals = (h: Harness) => h.events.filter((e): e is Extract<AuthEvent, { type: 'session' }> => e.type === 'session' && !e.session)
/** Logins answering `t1`, `t2`, …, except the second, which fails (a renewal that fails). */
function failingSecondLogin() {
  let calls = 0
  return async (): Promise<TokenGrant> => {
    if (++calls === 2) throw new Error('renewal failed')
    return { token: `t${calls}` }
  }
}
let issued = 0
const grant =
  (extra: Partial<TokenGrant> = {}) =>
  async (): Promise<TokenGrant> => ({ token: `t${++issued}`, expiresIn: 3600, ...extra })

describe('token lifetime', () => {
  it('expiresAt is the login time plus expiresIn; renewal starts at the skew before it', async () => {
    const clock = handClock(5000)
    const { engine } = createHarness({ clock, login: grant({ expiresIn: 60 }), expirySkewMs: 20_000 })
    const session = await engine.ensureSession()
    expect(session.expiresAt).toBe(65_000)
    expect(session.renewAt).toBe(45_000)
  })

  it('a token without expiresIn has no expiry and is never renewed by time', async () => {
    const clock = handClock()
    const { engine, counts } = createHarness({ clock, login: grant({ expiresIn: undefined }) })
    const session = await engine.ensureSession()
    expect(session).toMatchObject({ expiresAt: null, renewAt: null })
    clock.time = 10 * 365 * 24 * 3600_000
    expect(engine.peek()).toBe(session)
    expect(counts.login).toBe(1)
  })

  it('the token is sent until one millisecond before its renewal time, and renewed from then on', async () => {
    const clock = handClock()
    const { engine } = createHarness({ clock, login: grant({ expiresIn: 3600 }), expirySkewMs: 30_000 })
    const session = await engine.ensureSession()
    clock.time = 3_570_000 - 1
    expect(engine.peek()).toBe(session)
    clock.time = 3_570_000
    expect(engine.peek()).toBeNull()
  })
})

describe('renewal with a refresh token', () => {
  it('an expired token with a refresh token renews without wx.login', async () => {
    const clock = handClock()
    const h = createHarness({ clock, login: grant({ refreshToken: 'r1' }), refresh: grant({ refreshToken: 'r2' }) })
    await h.engine.ensureSession()
    clock.time = 3600_000
    const renewed = await h.engine.ensureSession()
    expect(h.counts).toMatchObject({ getCode: 1, login: 1, refresh: 1 })
    expect(renewed).toMatchObject({ refreshToken: 'r2', generation: 2 })
  })

  it('an expired WeChat session logs in with a new code even though a refresh token exists', async () => {
    const storage = createMemoryStorage()
    await createHarness({ storage, login: grant({ refreshToken: 'r1' }) }).engine.ensureSession()
    const h = createHarness({ storage, checkSession: async () => 'expired', refresh: grant() })
    await h.engine.ensureSession()
    await flush()
    expect(h.counts).toMatchObject({ refresh: 0, getCode: 1, login: 1 })
    expect(h.engine.session?.generation).toBe(2)
  })

  it('a grant without a refresh token or user keeps the ones the session had', async () => {
    const clock = handClock()
    const h = createHarness({ clock, login: grant({ refreshToken: 'r1', user: { id: 'u1' } }), refresh: grant() })
    await h.engine.ensureSession()
    clock.time = 3600_000
    await expect(h.engine.ensureSession()).resolves.toMatchObject({ refreshToken: 'r1', user: { id: 'u1' } })
  })

  it('logout while a refresh runs: when the refresh then fails, no wx.login follows', async () => {
    const clock = handClock()
    const refused = deferred<TokenGrant>()
    const h = createHarness({ clock, login: grant({ refreshToken: 'r1' }), refresh: () => refused.promise })
    await h.engine.ensureSession()
    clock.time = 3600_000
    const waiter = h.engine.ensureSession().catch((e: AuthError) => e.code)
    await flush()
    expect(h.counts.refresh).toBe(1)
    h.engine.logout()
    refused.reject(new Error('revoked'))
    expect(await waiter).toBe('LOGGED_OUT')
    await flush()
    expect(h.counts.getCode).toBe(1)
  })
})

describe('401 recovery: which 401s withdraw the token', () => {
  it('a 401 for the current token withdraws it at once (one session: null event)', async () => {
    const h = createHarness()
    const { generation } = await h.engine.ensureSession()
    const renewal = h.engine.recover(generation)
    expect(withdrawals(h)).toHaveLength(1)
    await renewal
  })

  it('a second 401 for a token already withdrawn withdraws nothing more, and retries the renewal', async () => {
    const h = createHarness({ login: failingSecondLogin() })
    const { generation } = await h.engine.ensureSession()
    await expect(h.engine.recover(generation)).rejects.toMatchObject({ code: 'LOGIN_EXCHANGE_FAILED' })
    await expect(h.engine.recover(generation)).resolves.toMatchObject({ token: 't3' })
    expect(withdrawals(h)).toHaveLength(1)
  })

  it('a 401 for an older token while the current one is due for renewal withdraws nothing and renews the current one', async () => {
    const clock = handClock()
    const h = createHarness({ clock, login: grant({ expiresIn: 60 }) })
    const old = await h.engine.ensureSession()
    const current = await h.engine.relogin()
    clock.time = 60_000
    const renewed = await h.engine.recover(old.generation)
    expect(withdrawals(h)).toHaveLength(0)
    expect(renewed.generation).toBe(current.generation + 1)
  })

  it('after a failed renewal the next use starts a new attempt for the refused token', async () => {
    const h = createHarness({ login: failingSecondLogin() })
    const { generation } = await h.engine.ensureSession()
    await h.engine.recover(generation).catch(() => {})
    await h.engine.ensureSession()
    const reasons = h.events.filter((e) => e.type === 'login-start').map((e) => e.reason)
    expect(reasons).toEqual(['cold-start', 'unauthorized', 'unauthorized'])
  })

  /** A relaunch whose blocking check ends confirmed, and a 401 for that token landing as the end is reported. */
  async function checkEndingIn401() {
    const storage = createMemoryStorage()
    await createHarness({ storage }).engine.ensureSession()
    const gate = deferred<TokenGrant>()
    const h = createHarness({ storage, sessionCheck: 'blocking', login: () => gate.promise })
    h.engine.subscribe((e) => {
      if (e.type === 'login-end' && e.outcome === 'confirmed') void h.engine.recover(1).catch(() => {})
    })
    return { h, gate }
  }

  it('a 401 for the token while its check is ending refuses the check’s waiters instead of handing them the refused token', async () => {
    const { h } = await checkEndingIn401()
    await expect(h.engine.ensureSession()).rejects.toMatchObject({
      code: 'LOGIN_EXCHANGE_FAILED',
      message: 'the token was refused while being confirmed',
    })
  })

  it('a login started by a login-end listener owns the status: it reads logging-in until that login ends', async () => {
    const { h, gate } = await checkEndingIn401()
    await h.engine.ensureSession().catch(() => {})
    expect(h.engine.attempt).toBe(2)
    expect(h.engine.status).toBe('logging-in')
    gate.resolve({ token: 'renewed' })
    await expect(h.engine.ensureSession()).resolves.toMatchObject({ token: 'renewed' })
    expect(h.engine.status).toBe('authenticated')
  })
})

describe('backoff and the server’s Retry-After', () => {
  it('a Retry-After pauses automatic attempts even after the first failure, and says how long', async () => {
    const clock = handClock(100)
    const h = createHarness({
      clock,
      login: () => Promise.reject(new AuthError('LOGIN_EXCHANGE_FAILED', '/auth/login answered HTTP 429', null, 5000)),
    })
    await h.engine.ensureSession().catch(() => {})
    clock.time += 1000
    await expect(h.engine.ensureSession()).rejects.toMatchObject({
      code: 'LOGIN_BACKOFF',
      retryAfterMs: 4000,
      message: 'login failed 1× in a row; next try in 4000 ms',
    })
    expect(h.counts.login).toBe(1)
    clock.time += 4000
    await h.engine.ensureSession().catch(() => {})
    expect(h.counts.login).toBe(2)
  })
})

describe('the session user', () => {
  it('updateUser replaces the user of the current session and stores it', async () => {
    const h = createHarness()
    await h.engine.ensureSession()
    h.engine.updateUser({ id: 'u2', phoneBound: true })
    expect(h.engine.session?.user).toEqual({ id: 'u2', phoneBound: true })
    expect(JSON.parse(String(h.storage.getItem('uni-mp-auth:session'))).user).toEqual({ id: 'u2', phoneBound: true })
  })

  it('updateUser without a session changes nothing: no session appears, nothing is stored', () => {
    const h = createHarness()
    h.engine.updateUser({ id: 'u2' })
    expect(h.engine.session).toBeNull()
    expect(h.storage.getItem('uni-mp-auth:session')).toBeNull()
    expect(h.events).toEqual([])
  })
})
