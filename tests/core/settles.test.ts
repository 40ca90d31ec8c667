import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isAuthError } from '../../src/core/errors'
import { createHarness } from '../../testkit/harness/engine-harness'

const never = <T>() => new Promise<T>(() => {})

// Invariant 2: every ensureSession()/relogin() settles within the login timeout.
describe('invariant 2: everything settles', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  async function expectTimeout(promise: Promise<unknown>, ms: number) {
    const outcome = promise.then(
      () => 'resolved',
      (error: unknown) => (isAuthError(error) ? error.code : 'other'),
    )
    await vi.advanceTimersByTimeAsync(ms - 1)
    let settled = false
    void outcome.then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await outcome).toBe('LOGIN_TIMEOUT')
  }

  it('a uni.login that never calls back rejects with LOGIN_TIMEOUT at the deadline', async () => {
    const { engine } = createHarness({ getCode: never, loginTimeoutMs: 5000 })
    await expectTimeout(engine.ensureSession(), 5000)
  })

  it('the deadline covers code + exchange together, not each', async () => {
    const { engine } = createHarness({
      loginTimeoutMs: 5000,
      getCode: () => new Promise((resolve) => setTimeout(() => resolve('c'), 3000)),
      login: () => new Promise((resolve) => setTimeout(() => resolve({ token: 't' }), 3000)),
    })
    await expectTimeout(engine.ensureSession(), 5000)
  })

  it('a hanging checkSession counts as unknown after checkSessionTimeoutMs: the stored token is used, no login', async () => {
    const { storage } = createHarness()
    await createHarness({ storage }).engine.ensureSession()
    const { engine, counts } = createHarness({
      storage,
      checkSession: never,
      loginTimeoutMs: 10_000,
      checkSessionTimeoutMs: 3000,
      sessionCheck: 'blocking',
    })
    let session: unknown = null
    void engine.ensureSession().then((s) => (session = s))
    await vi.advanceTimersByTimeAsync(2999)
    expect(session).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(session).toMatchObject({ generation: 1 })
    expect(counts.getCode).toBe(0)
    // Once answered "unknown", the run does not ask again.
    await engine.ensureSession()
    expect(counts.checkSession).toBe(1)
  })

  it('the check wait is capped at half the login deadline', async () => {
    const { storage } = createHarness()
    await createHarness({ storage }).engine.ensureSession()
    const { engine } = createHarness({ storage, checkSession: never, loginTimeoutMs: 2000, checkSessionTimeoutMs: 60_000 })
    let settled = false
    void engine.ensureSession().then(() => (settled = true))
    await vi.advanceTimersByTimeAsync(1000)
    expect(settled).toBe(true)
  })

  it('relogin() is bounded too, and a late answer after the deadline is ignored', async () => {
    let answer!: (grant: { token: string }) => void
    const { engine } = createHarness({ loginTimeoutMs: 1000, login: () => new Promise((r) => (answer = r)) })
    const outcome = engine.relogin().catch((e: unknown) => (isAuthError(e) ? e.code : 'other'))
    await vi.advanceTimersByTimeAsync(1000)
    expect(await outcome).toBe('LOGIN_TIMEOUT')
    answer({ token: 'too-late' })
    await vi.advanceTimersByTimeAsync(0)
    expect(engine.session).toBeNull()
  })

  it('no timer is left behind after a successful login', async () => {
    const { engine } = createHarness()
    await engine.ensureSession()
    expect(vi.getTimerCount()).toBe(0)
  })
})
