import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PlatformSessionState } from '../../src/core/types'
import { flush } from '../../testkit/harness/deferred'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'
import { createHarness } from '../../testkit/harness/engine-harness'

async function storedSession() {
  const storage = createMemoryStorage()
  await createHarness({ storage }).engine.ensureSession()
  return storage
}

/** A clock whose timers never fire: whatever settles with it settled without waiting for a timeout. */
const stoppedClock = (at = 0) => ({
  time: at,
  now() {
    return this.time
  },
  setTimeout: () => 0,
  clearTimeout: () => {},
})

describe('the platform session check answers at once when it can', () => {
  it.each<[string, () => Promise<PlatformSessionState>]>([
    ['fails', () => Promise.reject(new Error('checkSession:fail'))],
    [
      'throws synchronously',
      () => {
        throw new Error('no checkSession here')
      },
    ],
  ])("a checkSession that %s counts as unknown at once ('blocking'), without waiting for its timeout", async (_, checkSession) => {
    const h = createHarness({ storage: await storedSession(), sessionCheck: 'blocking', checkSession, clock: stoppedClock() })
    let session: unknown = null
    void h.engine.ensureSession().then((s) => (session = s))
    await flush()
    expect(session).toMatchObject({ generation: 1 })
    expect(h.counts.getCode).toBe(0)
  })
})

describe("'blocking' check timing", () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('a silent checkSession is given up after half the login deadline when that is shorter, and the token is kept', async () => {
    const h = createHarness({
      storage: await storedSession(),
      sessionCheck: 'blocking',
      checkSession: () => new Promise(() => {}),
      loginTimeoutMs: 2000,
      checkSessionTimeoutMs: 60_000,
    })
    let session: unknown = null
    void h.engine.ensureSession().then((s) => (session = s))
    await vi.advanceTimersByTimeAsync(999)
    expect(session).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(session).toMatchObject({ generation: 1 })
    expect(h.counts.getCode).toBe(0)
  })
})

describe("the background check ('background') runs once per app run", () => {
  it('a background check whose login fails is not started again on every use', async () => {
    const h = createHarness({
      storage: await storedSession(),
      checkSession: async () => 'expired',
      login: () => Promise.reject(new Error('backend down')),
    })
    const restored = h.engine.peek()
    await flush()
    expect(h.counts).toMatchObject({ checkSession: 1, getCode: 1 })
    // The stored token is still offered, and using it starts no second check.
    expect(h.engine.peek()).toBe(restored)
    for (let i = 0; i < 5; i++) await h.engine.ensureSession()
    await flush()
    expect(h.counts).toMatchObject({ checkSession: 1, getCode: 1 })
  })

  it('coming to the foreground without a stay in the background checks nothing again', async () => {
    const clock = stoppedClock(1_000_000_000)
    const h = createHarness({ storage: await storedSession(), clock, recheckAfterBackgroundMs: 60_000 })
    await h.engine.ensureSession()
    await flush()
    h.engine.markForeground()
    await h.engine.ensureSession()
    await flush()
    expect(h.counts.checkSession).toBe(1)
  })

  it('a short stay in the background late in the app run checks nothing again', async () => {
    const clock = stoppedClock(1_000_000_000)
    const h = createHarness({ storage: await storedSession(), clock, recheckAfterBackgroundMs: 60_000 })
    await h.engine.ensureSession()
    await flush()
    h.engine.markBackground()
    clock.time += 59_999
    h.engine.markForeground()
    await h.engine.ensureSession()
    await flush()
    expect(h.counts.checkSession).toBe(1)
  })
})
