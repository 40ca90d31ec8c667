import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type AuthError, isAuthError } from '../../src/core/errors'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'
import { createHarness } from '../../testkit/harness/engine-harness'

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (isAuthError(error) ? error : null),
  )

describe('a failed login says what failed', () => {
  it.each<[string, unknown]>([
    ['a number', 123],
    ['an object', { code: 'c' }],
  ])('a code that is %s is a platform failure; the exchange is never called', async (_, code) => {
    const { engine, counts } = createHarness({ getCode: async () => code as string })
    const error = await failure(engine.ensureSession())
    expect(error).toMatchObject({ code: 'LOGIN_PLATFORM_FAILED', message: 'no login code', cause: code })
    expect(counts.login).toBe(0)
  })

  it('a failing wx.login: LOGIN_PLATFORM_FAILED with its errMsg', async () => {
    const { engine } = createHarness({ getCode: () => Promise.reject({ errMsg: 'login:fail system error' }) })
    expect(await failure(engine.ensureSession())).toMatchObject({
      code: 'LOGIN_PLATFORM_FAILED',
      message: 'getting a login code failed: login:fail system error',
    })
  })

  it('a failing exchange: LOGIN_EXCHANGE_FAILED with its reason', async () => {
    const { engine } = createHarness({ login: () => Promise.reject(new Error('HTTP 500')) })
    expect(await failure(engine.ensureSession())).toMatchObject({ code: 'LOGIN_EXCHANGE_FAILED', message: 'login failed: HTTP 500' })
  })

  it('logout during a login: LOGGED_OUT saying so', async () => {
    const { engine } = createHarness({ login: () => new Promise(() => {}) })
    const waiter = failure(engine.ensureSession())
    engine.logout()
    expect(await waiter).toMatchObject({ code: 'LOGGED_OUT', message: 'logged out during the login' })
  })

  describe('with fake timers', () => {
    beforeEach(() => vi.useFakeTimers())
    afterEach(() => vi.useRealTimers())

    it('a login over the deadline: LOGIN_TIMEOUT naming the deadline', async () => {
      const { engine } = createHarness({ getCode: () => new Promise(() => {}), loginTimeoutMs: 5000 })
      const waiter = failure(engine.ensureSession())
      await vi.advanceTimersByTimeAsync(5000)
      expect(await waiter).toMatchObject({ code: 'LOGIN_TIMEOUT', message: 'login took over 5000 ms' })
    })
  })

  it('a pause after repeated failures: LOGIN_BACKOFF with the count and the wait, the last failure as cause', async () => {
    const clock = { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} }
    const { engine } = createHarness({ clock, login: () => Promise.reject(new Error('down')), backoffMs: 1000 })
    await engine.ensureSession().catch(() => {})
    const second = await failure(engine.ensureSession())
    const paused = (await failure(engine.ensureSession())) as AuthError
    expect(paused).toMatchObject({ code: 'LOGIN_BACKOFF', message: 'login failed 2× in a row; next try in 1000 ms', retryAfterMs: 1000 })
    expect(paused.cause).toBe(second)
  })
})

describe('what a launch restores', () => {
  const KEY = 'uni-mp-auth:session'

  it('a launch with nothing stored touches no storage entry', () => {
    const storage = createMemoryStorage()
    const removeItem = vi.spyOn(storage, 'removeItem')
    const setItem = vi.spyOn(storage, 'setItem')
    createHarness({ storage })
    expect(removeItem).not.toHaveBeenCalled()
    expect(setItem).not.toHaveBeenCalled()
  })

  it('a valid stored session stays stored after it is restored', async () => {
    const storage = createMemoryStorage()
    await createHarness({ storage }).engine.ensureSession()
    const stored = storage.get(KEY)
    createHarness({ storage })
    expect(storage.get(KEY)).toBe(stored)
  })

  it('a storage that throws on read counts as no session: the launch is a cold start and logout() ends nothing', async () => {
    const storage = {
      getItem: () => {
        throw new Error('storage unavailable')
      },
      setItem: () => {},
      removeItem: () => {},
    }
    const h = createHarness({ storage })
    expect(h.engine.status).toBe('idle')
    await h.engine.ensureSession()
    expect(h.events.find((e) => e.type === 'login-start')).toMatchObject({ reason: 'cold-start' })
    expect(createHarness({ storage }).engine.logout()).toBeNull()
  })
})
