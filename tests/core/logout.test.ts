import { describe, expect, it } from 'vitest'
import { deferred } from '../../testkit/harness/deferred'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'
import { createHarness } from '../../testkit/harness/engine-harness'

const MARK = JSON.stringify({ v: 2, loggedOut: true })
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code,
  )

// Invariant 9: logout wins over an in-flight login, and stays until the explicit login action.
describe('invariant 9: logout wins', () => {
  it('logout during the exchange rejects every waiter with LOGGED_OUT and discards the late token', async () => {
    const gate = deferred<{ token: string }>()
    const storage = createMemoryStorage()
    const { engine } = createHarness({ login: () => gate.promise, storageKey: 'k', storage })
    const waiters = Array.from({ length: 5 }, () => engine.ensureSession())
    await Promise.resolve()
    engine.logout()
    gate.resolve({ token: 'late' })
    const results = await Promise.allSettled(waiters)
    expect(results.every((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'LOGGED_OUT')).toBe(true)
    expect(engine.status).toBe('logged-out')
    expect(engine.session).toBeNull()
    expect(storage.get('k')).toBe(MARK)
  })

  it('logout during getCode prevents the exchange from ever being called', async () => {
    const code = deferred<string>()
    const { engine, counts } = createHarness({ getCode: () => code.promise })
    const waiter = engine.ensureSession().catch((e: { code: string }) => e.code)
    await Promise.resolve()
    engine.logout()
    code.resolve('c')
    expect(await waiter).toBe('LOGGED_OUT')
    await Promise.resolve()
    expect(counts.login).toBe(0)
  })

  it('logout replaces the stored token with the mark; ensureSession() and recover() then reject at once, starting nothing', async () => {
    const storage = createMemoryStorage()
    const { engine, counts, events } = createHarness({ storageKey: 'k', storage })
    const first = await engine.ensureSession()
    expect(storage.has('k')).toBe(true)
    expect(engine.logout()).toEqual(first)
    expect(storage.get('k')).toBe(MARK)
    expect(engine.loggedOut).toBe(true)
    const starts = events.filter((e) => e.type === 'login-start').length
    expect(await code(engine.ensureSession())).toBe('LOGGED_OUT')
    // The message says the way back, for the app's log and its developer.
    await expect(engine.ensureSession()).rejects.toThrow('relogin() logs in again')
    expect(await code(engine.recover(first.generation))).toBe('LOGGED_OUT')
    expect(engine.peek()).toBeNull()
    expect(counts.getCode).toBe(1)
    expect(events.filter((e) => e.type === 'login-start')).toHaveLength(starts)
    expect(engine.status).toBe('logged-out')
  })

  it('relogin() is the explicit login action: one login, the mark is gone, ensureSession() works again', async () => {
    const storage = createMemoryStorage()
    const { engine, counts } = createHarness({ storageKey: 'k', storage })
    const first = await engine.ensureSession()
    engine.logout()
    const second = await engine.relogin()
    expect(second.token).not.toBe(first.token)
    expect(second.generation).toBeGreaterThan(first.generation)
    expect(engine.loggedOut).toBe(false)
    expect(JSON.parse(String(storage.get('k')))).toMatchObject({ v: 2, token: second.token })
    expect(await engine.ensureSession()).toEqual(second)
    expect(counts.getCode).toBe(2)
  })

  it('callers during the explicit login join it; the ones before it were refused', async () => {
    const gate = deferred<{ token: string }>()
    let calls = 0
    const { engine, counts } = createHarness({ login: async () => (++calls === 1 ? { token: 'a' } : gate.promise) })
    await engine.ensureSession()
    engine.logout()
    const before = code(engine.ensureSession())
    const login = engine.relogin()
    const during = [engine.ensureSession(), engine.recover(1), engine.relogin()]
    gate.resolve({ token: 'b' })
    expect(await before).toBe('LOGGED_OUT')
    expect((await login).token).toBe('b')
    expect((await Promise.all(during)).map((s) => s.token)).toEqual(['b', 'b', 'b'])
    expect(counts.login).toBe(2)
  })

  it('a failed explicit login keeps the user logged out: no automatic retry, the next relogin() tries again', async () => {
    let fail = true
    const { engine, counts } = createHarness({
      login: async (c) => {
        if (fail) throw new Error('down')
        return { token: `t-${c}` }
      },
    })
    engine.logout()
    expect(await code(engine.relogin())).toBe('LOGIN_EXCHANGE_FAILED')
    expect(engine.loggedOut).toBe(true)
    expect(await code(engine.ensureSession())).toBe('LOGGED_OUT')
    expect(counts.getCode).toBe(1)
    fail = false
    expect(await code(engine.relogin())).toBe('resolved')
    expect(engine.loggedOut).toBe(false)
  })

  it('logout during the explicit login wins again: that login is discarded, the mark stays', async () => {
    const gate = deferred<{ token: string }>()
    const storage = createMemoryStorage()
    const { engine } = createHarness({ login: () => gate.promise, storageKey: 'k', storage })
    engine.logout()
    const login = code(engine.relogin())
    await Promise.resolve()
    engine.logout()
    gate.resolve({ token: 'late' })
    expect(await login).toBe('LOGGED_OUT')
    expect(engine.loggedOut).toBe(true)
    expect(engine.session).toBeNull()
    expect(storage.get('k')).toBe(MARK)
  })

  it('the mark survives a relaunch: status logged-out, nothing logs in until relogin()', async () => {
    const storage = createMemoryStorage()
    const first = createHarness({ storageKey: 'k', storage })
    await first.engine.ensureSession()
    first.engine.logout()
    const next = createHarness({ storageKey: 'k', storage })
    expect(next.engine.status).toBe('logged-out')
    expect(next.engine.loggedOut).toBe(true)
    expect(next.engine.session).toBeNull()
    expect(await code(next.engine.ensureSession())).toBe('LOGGED_OUT')
    expect(next.counts.getCode + next.counts.checkSession).toBe(0)
    await next.engine.relogin()
    expect(next.counts.getCode).toBe(1)
    expect(next.engine.status).toBe('authenticated')
  })

  it('a fresh install is not logged out: the first ensureSession() logs in silently', async () => {
    const { engine, counts } = createHarness({ storageKey: 'k', storage: createMemoryStorage() })
    expect(engine.loggedOut).toBe(false)
    await engine.ensureSession()
    expect(counts.getCode).toBe(1)
  })

  it('a 0.2 session (format 1) restores as logged in, with no login', async () => {
    const stored = { v: 1, token: 'old', expiresAt: null, renewAt: null, generation: 3, refreshToken: null, user: null }
    const storage = createMemoryStorage({ k: JSON.stringify(stored) })
    const { engine, counts } = createHarness({ storageKey: 'k', storage })
    expect(engine.status).toBe('authenticated')
    expect(engine.loggedOut).toBe(false)
    expect((await engine.ensureSession()).token).toBe('old')
    expect(counts.getCode).toBe(0)
  })

  it('a storage that throws on write still keeps the user logged out for this run', async () => {
    const storage = createMemoryStorage()
    storage.setItem = () => {
      throw new Error('quota')
    }
    const { engine, counts } = createHarness({ storageKey: 'k', storage })
    await engine.ensureSession()
    engine.logout()
    expect(await code(engine.ensureSession())).toBe('LOGGED_OUT')
    expect(counts.getCode).toBe(1)
  })
})
