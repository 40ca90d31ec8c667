import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AuthEvent } from '../../src/core/events'
import { flush } from '../../testkit/harness/deferred'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'
import { createHarness, type Harness } from '../../testkit/harness/engine-harness'

async function storedSession() {
  const storage = createMemoryStorage()
  await createHarness({ storage }).engine.ensureSession()
  return storage
}

const statuses = (h: Harness) => h.events.filter((e) => e.type === 'status').map((e) => e.status)

describe('the engine status', () => {
  it('starts idle without a stored session, authenticated with one', async () => {
    expect(createHarness().engine.status).toBe('idle')
    expect(createHarness({ storage: await storedSession() }).engine.status).toBe('authenticated')
  })

  it('is reported only when it changes', async () => {
    const h = createHarness()
    await h.engine.ensureSession()
    h.engine.logout()
    h.engine.logout()
    expect(statuses(h)).toEqual(['logging-in', 'authenticated', 'logged-out'])
  })

  it("a restored token confirmed in the background ('background') changes no status at all", async () => {
    const h = createHarness({ storage: await storedSession() })
    await h.engine.ensureSession()
    await flush()
    expect(h.counts.checkSession).toBe(1)
    expect(statuses(h)).toEqual([])
  })

  it("'blocking' shows 'checking' while the platform session is checked", async () => {
    const h = createHarness({ storage: await storedSession(), sessionCheck: 'blocking' })
    await h.engine.ensureSession()
    expect(statuses(h)).toEqual(['checking', 'authenticated'])
  })
})

describe('the event stream', () => {
  afterEach(() => vi.restoreAllMocks())

  it('logout() reports a logout event after the session and status changes', async () => {
    const h = createHarness()
    await h.engine.ensureSession()
    h.events.length = 0
    h.engine.logout()
    expect(h.events.map(({ at: _, ...event }) => event)).toEqual([
      { type: 'session', session: null },
      { type: 'status', status: 'logged-out' },
      { type: 'logout' },
    ])
  })

  it('stamps each event with the clock’s time', async () => {
    const clock = { now: () => 1234, setTimeout: () => 0, clearTimeout: () => {} }
    const h = createHarness({ clock })
    await h.engine.ensureSession()
    expect(h.events.length).toBeGreaterThan(0)
    expect(h.events.every((e) => e.at === 1234)).toBe(true)
  })

  it('a login’s end reports how long it took', async () => {
    const clock = { time: 1000, now: () => clock.time, setTimeout: () => 0, clearTimeout: () => {} }
    const h = createHarness({
      clock,
      getCode: async () => {
        clock.time += 500
        return 'code'
      },
    })
    await h.engine.ensureSession()
    expect(h.events.find((e) => e.type === 'login-end')).toMatchObject({ ms: 500 })
  })

  it('unsubscribing stops the events for that listener only', async () => {
    const h = createHarness()
    const mine: AuthEvent[] = []
    const unsubscribe = h.engine.subscribe((e) => mine.push(e))
    unsubscribe()
    await h.engine.ensureSession()
    expect(mine).toEqual([])
    expect(h.events.length).toBeGreaterThan(0)
  })

  it('a throwing listener is reported on console.error and breaks neither the engine nor the other listeners', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const bug = new Error('listener bug')
    const h = createHarness()
    h.engine.subscribe(() => {
      throw bug
    })
    const later: AuthEvent['type'][] = []
    h.engine.subscribe((e) => later.push(e.type))
    await expect(h.engine.ensureSession()).resolves.toMatchObject({ generation: 1 })
    expect(later).toContain('login-end')
    expect(error).toHaveBeenCalledWith(expect.stringContaining('uni-mp-auth'), bug)
  })
})
