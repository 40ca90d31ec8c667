import { describe, expect, it } from 'vitest'
import { deferred } from '../../testkit/harness/deferred'
import { createHarness } from '../../testkit/harness/engine-harness'

// Invariant 1: one login at a time, shared by every concurrent caller, no polling.
describe('invariant 1: one login at a time', () => {
  it.each([1, 10, 100, 1000])('%i concurrent ensureSession() at cold start → one getCode, one exchange, one token', async (n) => {
    const { engine, counts } = createHarness()
    const sessions = await Promise.all(Array.from({ length: n }, () => engine.ensureSession()))
    expect(counts.getCode).toBe(1)
    expect(counts.login).toBe(1)
    expect(new Set(sessions.map((s) => s.token)).size).toBe(1)
  })

  it('callers arriving during the exchange join the same promise', async () => {
    const gate = deferred<{ token: string }>()
    const { engine, counts } = createHarness({ login: () => gate.promise })
    const first = engine.ensureSession()
    await Promise.resolve()
    const late = [engine.ensureSession(), engine.relogin(), engine.ensureSession()]
    gate.resolve({ token: 'shared' })
    const all = await Promise.all([first, ...late])
    expect(all.every((s) => s.token === 'shared')).toBe(true)
    expect(counts.login).toBe(1)
  })

  it('relogin() while idle forces a fresh code even with a valid token', async () => {
    const { engine, counts } = createHarness()
    const before = await engine.ensureSession()
    const after = await engine.relogin()
    expect(counts.getCode).toBe(2)
    expect(after.token).not.toBe(before.token)
    expect(after.generation).toBe(before.generation + 1)
  })

  it('a relogin joining a mere session check upgrades it to a real login', async () => {
    const check = deferred<'valid'>()
    const { storage } = createHarness()
    const seeded = createHarness({ storage })
    await seeded.engine.ensureSession()
    const { engine, counts } = createHarness({ storage, checkSession: () => check.promise, sessionCheck: 'blocking' })
    const ensure = engine.ensureSession()
    const relogin = engine.relogin()
    check.resolve('valid')
    const [a, b] = await Promise.all([ensure, relogin])
    expect(counts.getCode).toBe(1)
    expect(a.token).toBe(b.token)
    expect(a.generation).toBe(2)
  })

  it('waiters do not wait for timers: the login settles on the microtask queue alone', async () => {
    const { engine } = createHarness({ clock: { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} } })
    // With a clock that never fires, only promise resolution can settle these.
    const sessions = await Promise.all([engine.ensureSession(), engine.ensureSession()])
    expect(sessions[0]!.token).toBe(sessions[1]!.token)
  })
})
