import { describe, expect, it, vi } from 'vitest'
import { createHarness } from '../../testkit/harness/engine-harness'

// Invariant 4: with a valid, checked token, ensureSession() does no I/O and no timer hop.
describe('invariant 4: the fast path is fast', () => {
  it('peek() returns the session synchronously once logged in, and null before', async () => {
    const { engine } = createHarness()
    expect(engine.peek()).toBeNull()
    const session = await engine.ensureSession()
    expect(engine.peek()).toBe(session)
  })

  it('ensureSession() on the fast path calls no platform API, no exchange, no storage and no timer', async () => {
    const { engine, counts, storage } = createHarness()
    await engine.ensureSession()
    const before = { ...counts }
    const getItem = vi.spyOn(storage, 'getItem')
    const setItem = vi.spyOn(storage, 'setItem')
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout')
    for (let i = 0; i < 100; i++) await engine.ensureSession()
    expect(counts).toEqual(before)
    expect(getItem).not.toHaveBeenCalled()
    expect(setItem).not.toHaveBeenCalled()
    expect(setTimeoutSpy).not.toHaveBeenCalled()
  })

  it('a token inside the expiry skew is renewed before use instead of being sent', async () => {
    let now = 0
    const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} }
    const { engine, counts } = createHarness({ clock, expirySkewMs: 30_000 })
    const first = await engine.ensureSession() // expiresIn 3600 s
    now = 3600_000 - 29_000
    expect(engine.peek()).toBeNull()
    const second = await engine.ensureSession()
    expect(second.token).not.toBe(first.token)
    expect(counts.login).toBe(2)
  })

  it('a skew longer than the token life does not log in on every call', async () => {
    let now = 0
    const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} }
    const { engine, counts } = createHarness({
      clock,
      expirySkewMs: 60_000,
      login: async () => ({ token: `t${now}`, expiresIn: 20 }),
    })
    await engine.ensureSession()
    now = 9_000
    await engine.ensureSession()
    expect(counts.login).toBe(1)
  })
})
