import { describe, expect, it } from 'vitest'
import { deferred } from '../../testkit/harness/deferred'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'
import { createHarness } from '../../testkit/harness/engine-harness'

// Invariant 9: logout wins over an in-flight login.
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
    expect(storage.has('k')).toBe(false)
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

  it('logout clears storage, and the next call logs in afresh', async () => {
    const storage = createMemoryStorage()
    const { engine, counts } = createHarness({ storageKey: 'k', storage })
    const first = await engine.ensureSession()
    expect(storage.has('k')).toBe(true)
    expect(engine.logout()).toEqual(first)
    expect(storage.has('k')).toBe(false)
    const second = await engine.ensureSession()
    expect(second.token).not.toBe(first.token)
    expect(second.generation).toBeGreaterThan(first.generation)
    expect(counts.getCode).toBe(2)
  })

  it('a 401 for a token from before the logout cannot resurrect it', async () => {
    const { engine } = createHarness()
    const old = await engine.ensureSession()
    engine.logout()
    const fresh = await engine.recover(old.generation)
    expect(fresh.token).not.toBe(old.token)
  })
})
