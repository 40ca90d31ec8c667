import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError, isAuthError } from '../../src/core/errors'
import { createHarness } from '../../testkit/harness/engine-harness'

const code = (error: unknown) => (isAuthError(error) ? error.code : 'not an AuthError')

// Invariant 3: a failed login releases the lock; repeated failures back off, bounded.
describe('invariant 3: failure releases the lock', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('after one failed exchange the next call starts a fresh attempt at once', async () => {
    let fail = true
    const { engine, counts } = createHarness({
      login: async () => {
        if (fail) throw new Error('HTTP 500')
        return { token: 'ok' }
      },
    })
    await expect(engine.ensureSession()).rejects.toMatchObject({ code: 'LOGIN_EXCHANGE_FAILED' })
    expect(engine.status).toBe('failed')
    fail = false
    await expect(engine.ensureSession()).resolves.toMatchObject({ token: 'ok' })
    expect(counts.getCode).toBe(2)
  })

  it('every waiter of a failed attempt gets the same typed error with the cause attached', async () => {
    const cause = { errMsg: 'login:fail system error' }
    const { engine } = createHarness({ getCode: () => Promise.reject(cause) })
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => engine.ensureSession()))
    const reasons = results.map((r) => (r.status === 'rejected' ? r.reason : null))
    expect(new Set(reasons).size).toBe(1)
    expect(reasons[0]).toBeInstanceOf(AuthError)
    expect(reasons[0]).toMatchObject({ code: 'LOGIN_PLATFORM_FAILED', cause })
    expect((reasons[0] as AuthError).message).toContain('login:fail system error')
  })

  it('repeated failures back off with a growing, capped pause and never spin', async () => {
    const { engine, counts } = createHarness({
      login: () => Promise.reject(new Error('down')),
      backoffMs: 1000,
      backoffMaxMs: 4000,
    })
    await engine.ensureSession().catch(() => {}) // 1st failure: no pause
    await engine.ensureSession().catch(() => {}) // 2nd failure: 1 s pause
    expect(counts.login).toBe(2)
    const during = await engine.ensureSession().catch((e: AuthError) => e)
    expect(code(during)).toBe('LOGIN_BACKOFF')
    expect((during as AuthError).retryAfterMs).toBe(1000)
    expect(counts.login).toBe(2)
    const pauses: number[] = []
    for (let i = 0; i < 5; i++) {
      const wait = ((await engine.ensureSession().catch((e: AuthError) => e)) as AuthError).retryAfterMs ?? 0
      pauses.push(wait)
      await vi.advanceTimersByTimeAsync(wait)
      await engine.ensureSession().catch(() => {})
    }
    expect(pauses).toEqual([1000, 2000, 4000, 4000, 4000])
    expect(counts.login).toBe(7)
  })

  it('relogin() is an explicit request and ignores the backoff pause', async () => {
    let fail = true
    const { engine } = createHarness({
      login: async () => {
        if (fail) throw new Error('down')
        return { token: 'back' }
      },
    })
    await engine.ensureSession().catch(() => {})
    await engine.ensureSession().catch(() => {})
    fail = false
    await expect(engine.ensureSession()).rejects.toMatchObject({ code: 'LOGIN_BACKOFF' })
    await expect(engine.relogin()).resolves.toMatchObject({ token: 'back' })
  })

  it('a malformed grant is a failed login, not a session with an undefined token', async () => {
    const { engine } = createHarness({ login: async () => ({ token: '' }) })
    await expect(engine.ensureSession()).rejects.toMatchObject({ code: 'LOGIN_EXCHANGE_FAILED' })
    expect(engine.session).toBeNull()
  })

  it('an empty code from the platform is a platform failure', async () => {
    const { engine, counts } = createHarness({ getCode: async () => '' })
    await expect(engine.ensureSession()).rejects.toMatchObject({ code: 'LOGIN_PLATFORM_FAILED' })
    expect(counts.login).toBe(0)
  })
})
