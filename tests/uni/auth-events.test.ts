import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AuthEvent } from '../../src/core/events'
import { createHarness } from '../../testkit/harness/engine-harness'
import { answerLogin, setupUni, type UniHarness } from '../../testkit/harness/uni-harness'

/** Every event of the plugin from now on, in order. */
function record(h: UniHarness): AuthEvent[] {
  const events: AuthEvent[] = []
  h.auth.engine.subscribe((event) => events.push(event))
  return events
}

const only = <T extends AuthEvent['type']>(events: AuthEvent[], type: T) =>
  events.filter((event): event is Extract<AuthEvent, { type: T }> => event.type === type)

describe('the auth event stream (development builds)', () => {
  afterEach(() => vi.restoreAllMocks())

  it('cold start with 5 waiting requests: one login, every request linked to it, waits before sends', async () => {
    const h = await setupUni()
    const events = record(h)
    await Promise.all(Array.from({ length: 5 }, (_, i) => h.uni.request({ url: `/orders/${i}` })))
    const [start, ...moreStarts] = only(events, 'login-start')
    expect(moreStarts).toEqual([])
    expect(start).toMatchObject({ login: 1, reason: 'cold-start' })
    expect(only(events, 'login-end')).toEqual([expect.objectContaining({ login: 1, outcome: 'logged-in' })])
    const ids = only(events, 'request-start').map((e) => e.request)
    expect(ids).toHaveLength(5)
    expect(only(events, 'request-wait').map((e) => [e.request, e.login])).toEqual(ids.map((id) => [id, 1]))
    expect(only(events, 'request-send').map((e) => [e.request, e.replay, e.generation])).toEqual(ids.map((id) => [id, 0, 1]))
    expect(only(events, 'request-end').map((e) => [e.request, e.statusCode])).toEqual(ids.map((id) => [id, 200]))
    // Each request waits, then the login ends, then it is sent, then it ends.
    const order = (type: AuthEvent['type'], id?: number) =>
      events.findIndex((e) => e.type === type && (id === undefined || (e as { request?: number }).request === id))
    for (const id of ids) {
      expect(order('request-wait', id)).toBeLessThan(order('login-end'))
      expect(order('login-end')).toBeLessThan(order('request-send', id))
      expect(order('request-send', id)).toBeLessThan(order('request-end', id))
    }
    expect(events.every((e) => typeof e.at === 'number')).toBe(true)
  })

  it('a 401 storm of 10: ten unauthorized, one renewal of that generation, ten replays with the next', async () => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    h.backend.revokeAll()
    const events = record(h)
    await Promise.all(Array.from({ length: 10 }, () => h.uni.request({ url: '/orders' })))
    expect(only(events, 'request-unauthorized').map((e) => e.generation)).toEqual(Array(10).fill(1))
    expect(only(events, 'login-start')).toEqual([expect.objectContaining({ login: 2, reason: 'unauthorized', generation: 1 })])
    expect(only(events, 'login-end')).toEqual([expect.objectContaining({ login: 2, outcome: 'logged-in' })])
    expect(only(events, 'request-wait').map((e) => e.login)).toEqual(Array(10).fill(2))
    const sends = only(events, 'request-send')
    expect(sends.filter((e) => e.replay === 0).map((e) => e.generation)).toEqual(Array(10).fill(1))
    expect(sends.filter((e) => e.replay === 1).map((e) => e.generation)).toEqual(Array(10).fill(2))
    expect(only(events, 'request-end').map((e) => e.statusCode)).toEqual(Array(10).fill(200))
  })

  it('a failed login: its end carries the AuthError, and each waiting request ends with that code', async () => {
    const h = await setupUni()
    answerLogin(h, () => ({ statusCode: 500, data: {} }))
    const events = record(h)
    await Promise.allSettled([h.uni.request({ url: '/a' }), h.uni.request({ url: '/b' })])
    const [end] = only(events, 'login-end')
    expect(end).toMatchObject({ outcome: 'failed', error: expect.objectContaining({ code: 'LOGIN_EXCHANGE_FAILED' }) })
    expect(only(events, 'request-end').map((e) => e.error)).toEqual(['LOGIN_EXCHANGE_FAILED', 'LOGIN_EXCHANGE_FAILED'])
    expect(only(events, 'status').map((e) => e.status)).toEqual(['logging-in', 'failed'])
  })

  it('a skipped request leaves no trace; a request to another host neither', async () => {
    const h = await setupUni({ skip: ['/public'] })
    await h.auth.engine.ensureSession()
    const events = record(h)
    await h.uni.request({ url: '/public' })
    await h.uni.request({ url: 'https://elsewhere.test/x' })
    expect(events.filter((e) => e.type.startsWith('request-'))).toEqual([])
  })

  it('debug: true prints one line per event, with the session as its generation, never the token', async () => {
    const lines: string[] = []
    vi.spyOn(console, 'debug').mockImplementation((line: string) => void lines.push(line))
    const h = await setupUni({ debug: true })
    await h.uni.request({ url: '/orders' })
    expect(lines).toContain('[uni-mp-auth] login-start login=1 reason=cold-start generation=0')
    expect(lines).toContain('[uni-mp-auth] session session=generation 1')
    expect(lines.some((line) => /^\[uni-mp-auth\] login-end login=1 ms=\d+ outcome=logged-in error=undefined$/.test(line))).toBe(true)
    expect(lines.join('\n')).not.toContain('tok-1')
  })

  it('onEvent receives the same stream', async () => {
    const seen: string[] = []
    const h = await setupUni({ onEvent: (event) => seen.push(event.type) })
    await h.uni.request({ url: '/orders' })
    expect(seen).toEqual(expect.arrayContaining(['request-start', 'login-start', 'login-end', 'request-send', 'request-end']))
  })
})

describe('login reasons and outcomes (engine)', () => {
  const tokenOnce = (refreshToken?: string) => async () => ({ token: `t-${Math.random()}`, expiresIn: 60, refreshToken })

  it('an expired token with a refused refresh token falls back to a full login: one attempt, outcome logged-in', async () => {
    let now = 0
    const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} }
    const h = createHarness({ clock, login: tokenOnce('r1'), refresh: () => Promise.reject(new Error('revoked')) })
    await h.engine.ensureSession()
    now += 60_000
    await h.engine.ensureSession()
    const starts = h.events.filter((e) => e.type === 'login-start')
    const ends = h.events.filter((e) => e.type === 'login-end')
    expect(starts.map((e) => e.reason)).toEqual(['cold-start', 'expired'])
    expect(ends.map((e) => e.outcome)).toEqual(['logged-in', 'logged-in'])
    expect(h.counts).toMatchObject({ refresh: 1, getCode: 2 })
  })

  it('an accepted refresh token ends the attempt as refreshed, without a platform code', async () => {
    let now = 0
    const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} }
    const h = createHarness({ clock, login: tokenOnce('r1'), refresh: tokenOnce('r2') })
    await h.engine.ensureSession()
    now += 60_000
    await h.engine.ensureSession()
    expect(h.events.filter((e) => e.type === 'login-end').map((e) => e.outcome)).toEqual(['logged-in', 'refreshed'])
    expect(h.counts).toMatchObject({ refresh: 1, getCode: 1 })
  })

  it('a restored token checked at launch ends as confirmed; relogin and recheck say so', async () => {
    let now = 1000
    const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} }
    const first = createHarness({ clock })
    await first.engine.ensureSession()
    const h = createHarness({ clock, storage: first.storage, recheckAfterBackgroundMs: 10 })
    await h.engine.ensureSession()
    await vi.waitFor(() => expect(h.events.filter((e) => e.type === 'login-end')).toHaveLength(1))
    h.engine.markBackground()
    now += 10
    h.engine.markForeground()
    h.engine.peek()
    await vi.waitFor(() => expect(h.events.filter((e) => e.type === 'login-end')).toHaveLength(2))
    await h.engine.relogin()
    const starts = h.events.filter((e) => e.type === 'login-start').map((e) => e.reason)
    const ends = h.events.filter((e) => e.type === 'login-end').map((e) => e.outcome)
    expect(starts).toEqual(['check', 'recheck', 'relogin'])
    expect(ends).toEqual(['confirmed', 'confirmed', 'logged-in'])
  })
})
