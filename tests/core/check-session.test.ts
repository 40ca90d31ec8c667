import { describe, expect, it } from 'vitest'
import type { PlatformSessionState } from '../../src/core/types'
import { flush } from '../../testkit/harness/deferred'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'
import { createHarness } from '../../testkit/harness/engine-harness'

async function storedSession() {
  const storage = createMemoryStorage()
  await createHarness({ storage }).engine.ensureSession()
  return storage
}

// Invariant 5: checkSession at most once per app run while it succeeds; its failure → one re-login.
describe('invariant 5: checkSession once per run', () => {
  it('a restored token is checked once, then never again this run', async () => {
    const storage = await storedSession()
    const { engine, counts } = createHarness({ storage })
    for (let i = 0; i < 20; i++) await engine.ensureSession()
    await Promise.all(Array.from({ length: 20 }, () => engine.ensureSession()))
    expect(counts.checkSession).toBe(1)
    expect(counts.getCode).toBe(0)
  })

  it('a failed check causes exactly one re-login, shared by all callers', async () => {
    const storage = await storedSession()
    const { engine, counts } = createHarness({ storage, checkSession: async () => 'expired' })
    const sessions = await Promise.all(Array.from({ length: 10 }, () => engine.ensureSession()))
    for (let i = 0; i < 10; i++) await engine.ensureSession()
    expect(counts.checkSession).toBe(1)
    expect(counts.getCode).toBe(1)
    expect(new Set(sessions.map((s) => s.token)).size).toBe(1)
  })

  it.each<PlatformSessionState>(['unknown'])('an %s answer (no checkSession on this platform) keeps the token', async (state) => {
    const storage = await storedSession()
    const { engine, counts } = createHarness({ storage, checkSession: async () => state })
    await engine.ensureSession()
    expect(counts.getCode).toBe(0)
  })

  it('a throwing checkSession counts as unknown, not as a crash', async () => {
    const storage = await storedSession()
    const { engine, counts } = createHarness({ storage, checkSession: () => Promise.reject(new Error('boom')) })
    await expect(engine.ensureSession()).resolves.toBeTruthy()
    expect(counts.getCode).toBe(0)
  })

  it('after a long stay in the background the session is checked once more', async () => {
    let now = 0
    const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} }
    const storage = await storedSession()
    const { engine, counts } = createHarness({ storage, clock, recheckAfterBackgroundMs: 60_000 })
    await engine.ensureSession()
    // The default 'background' check runs alongside: let it finish before the app goes away.
    await flush()
    engine.markBackground()
    now += 10_000
    engine.markForeground()
    await engine.ensureSession()
    expect(counts.checkSession).toBe(1)
    engine.markBackground()
    now += 60_000
    engine.markForeground()
    await engine.ensureSession()
    await engine.ensureSession()
    expect(counts.checkSession).toBe(2)
  })
})

/** A relaunch with `sessionCheck: 'background'` whose checkSession answers only when told to. */
async function relaunchInBackgroundMode() {
  const storage = await storedSession()
  let reply: (state: PlatformSessionState) => void = () => {}
  const harness = createHarness({
    storage,
    sessionCheck: 'background',
    checkSession: () => new Promise((resolve) => (reply = resolve)),
  })
  return { ...harness, answer: (state: PlatformSessionState) => reply(state) }
}

describe("sessionCheck: 'background' — a restored token is used at once, the check runs alongside", () => {
  it('ensureSession() resolves before checkSession answers, and the check runs once', async () => {
    const { engine, counts, answer } = await relaunchInBackgroundMode()
    const session = await engine.ensureSession()
    expect(session.generation).toBe(1)
    expect(counts.checkSession).toBe(1)
    for (let i = 0; i < 10; i++) await engine.ensureSession()
    expect(counts.checkSession).toBe(1)
    answer('valid')
    await Promise.resolve()
    expect(counts.getCode).toBe(0)
  })

  it('an expired platform session leads to exactly one background login; later calls get the new token', async () => {
    const { engine, counts, answer } = await relaunchInBackgroundMode()
    const before = await engine.ensureSession()
    answer('expired')
    for (let i = 0; i < 10; i++) await Promise.resolve()
    const after = await engine.ensureSession()
    expect(counts.getCode).toBe(1)
    expect(after.generation).toBe(before.generation + 1)
  })

  it("'blocking' waits for the check", async () => {
    const storage = await storedSession()
    const { engine } = createHarness({
      storage,
      sessionCheck: 'blocking',
      checkSession: () => new Promise(() => {}),
      checkSessionTimeoutMs: 60_000,
      loginTimeoutMs: 1_000_000,
    })
    expect(engine.peek()).toBeNull()
    let settled = false
    void engine.ensureSession().then(() => (settled = true))
    for (let i = 0; i < 10; i++) await Promise.resolve()
    expect(settled).toBe(false)
  })
})
