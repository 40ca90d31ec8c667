import { describe, expect, it } from 'vitest'
import { deferred } from '../../testkit/harness/deferred'
import { createHarness } from '../../testkit/harness/engine-harness'

// Invariant 6: 401 recovery is generation-aware; a storm of 401s → exactly one re-login.
describe('invariant 6: generation-aware recovery', () => {
  it('100 concurrent recover(g) for the current generation → one login, one new token', async () => {
    const { engine, counts } = createHarness()
    const { generation } = await engine.ensureSession()
    const renewed = await Promise.all(Array.from({ length: 100 }, () => engine.recover(generation)))
    expect(counts.getCode).toBe(2)
    expect(new Set(renewed.map((s) => s.token)).size).toBe(1)
    expect(renewed[0]!.generation).toBe(generation + 1)
  })

  it('a late 401 for an old generation reuses the current token without logging in', async () => {
    const { engine, counts } = createHarness()
    const old = await engine.ensureSession()
    const current = await engine.recover(old.generation)
    const late = await engine.recover(old.generation)
    expect(late).toBe(current)
    expect(counts.getCode).toBe(2)
  })

  it('401s arriving while the renewal is in flight join it', async () => {
    const gate = deferred<{ token: string }>()
    let calls = 0
    const { engine, counts } = createHarness({
      login: (code) => (++calls === 1 ? Promise.resolve({ token: `first-${code}` }) : gate.promise),
    })
    const { generation } = await engine.ensureSession()
    const a = engine.recover(generation)
    const b = engine.recover(generation)
    gate.resolve({ token: 'second' })
    expect((await a).token).toBe('second')
    expect((await b).token).toBe('second')
    expect(counts.login).toBe(2)
  })

  it('uses the refresh token first, and falls back to a fresh login when it is refused', async () => {
    let refreshOk = true
    const { engine, counts } = createHarness({
      login: async (code) => ({ token: `login-${code}`, refreshToken: 'r1', expiresIn: 3600 }),
      refresh: async (rt) => {
        if (!refreshOk) throw new Error('refresh refused')
        return { token: `refreshed-with-${rt}`, refreshToken: 'r2', expiresIn: 3600 }
      },
    })
    const first = await engine.ensureSession()
    const second = await engine.recover(first.generation)
    expect(second.token).toBe('refreshed-with-r1')
    expect(counts.getCode).toBe(1)
    refreshOk = false
    const third = await engine.recover(second.generation)
    expect(third.token).toMatch(/^login-/)
    expect(counts.getCode).toBe(2)
    expect(counts.refresh).toBe(2)
  })

  it('the rejected token is no longer offered while the renewal runs', async () => {
    const gate = deferred<{ token: string }>()
    let calls = 0
    const { engine } = createHarness({ login: () => (++calls === 1 ? Promise.resolve({ token: 'a' }) : gate.promise) })
    const { generation } = await engine.ensureSession()
    void engine.recover(generation)
    expect(engine.peek()).toBeNull()
    expect(engine.session).toBeNull()
    gate.resolve({ token: 'b' })
    await expect(engine.ensureSession()).resolves.toMatchObject({ token: 'b' })
  })
})
