import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuthEvent } from '../../src/core/events'
import type { Clock } from '../../src/core/types'
import { createAuth } from '../../src/uni/create-auth'
import { flush } from '../../testkit/harness/deferred'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'
import { API, LOGIN_PATH, networkCalls, sentOptions, setupUni, type UniHarness } from '../../testkit/harness/uni-harness'

const KEY = 'uni-mp-auth:session'

describe('createAuth wires the engine to uni-app', () => {
  let h: UniHarness
  beforeEach(async () => {
    h = await setupUni()
  })
  afterEach(() => vi.unstubAllGlobals())

  it('without host.storage the session persists in uni storage', async () => {
    const session = await h.auth.engine.ensureSession()
    expect(JSON.parse(String(h.wx.storage.get(KEY)))).toMatchObject({ token: session.token, generation: 1 })
  })

  it('host.storage replaces uni storage', async () => {
    const storage = createMemoryStorage()
    const auth = createAuth({ baseUrl: API, login: LOGIN_PATH, host: { uni: h.uni, storage } })
    await auth.engine.ensureSession()
    expect(storage.has(KEY)).toBe(true)
    expect(h.wx.storage.has(KEY)).toBe(false)
  })

  it('host.clock drives the engine: the login deadline is its timer', async () => {
    const timers: Array<() => void> = []
    const clock: Clock = { now: () => 0, setTimeout: (fn) => timers.push(fn), clearTimeout: () => {} }
    h.wx.behaviour.login = 'hang'
    const auth = createAuth({ baseUrl: API, login: LOGIN_PATH, host: { uni: h.uni, clock } })
    const outcome = auth.engine.ensureSession().catch((error: { code: string }) => error.code)
    expect(timers).toHaveLength(1)
    timers[0]!()
    expect(await outcome).toBe('LOGIN_TIMEOUT')
  })

  it('runs on the global uni when no host is given', async () => {
    vi.stubGlobal('uni', h.uni)
    const auth = createAuth({ baseUrl: API, login: LOGIN_PATH })
    await expect(auth.engine.ensureSession()).resolves.toMatchObject({ generation: 1 })
  })

  it('without onEvent or debug nothing listens: no console line', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    await h.auth.engine.ensureSession()
    expect(debug).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
  })

  it('onEvent hears the engine from the first event on', async () => {
    const events: AuthEvent['type'][] = []
    const auth = createAuth({ baseUrl: API, login: LOGIN_PATH, onEvent: (e) => events.push(e.type), host: { uni: h.uni } })
    await auth.engine.ensureSession()
    expect(events[0]).toBe('login-start')
    expect(events).toContain('login-end')
  })

  it('after a login, requests sent by anyone go through the interceptor again (no false LOGIN_DEADLOCK)', async () => {
    await h.auth.engine.ensureSession()
    await expect(h.uni.request({ url: '/orders' })).resolves.toMatchObject({ statusCode: 200 })
  })
})

describe('logout()', () => {
  afterEach(() => vi.restoreAllMocks())

  it.each([
    ['with a refresh token', 'rt-1', { refreshToken: 'rt-1' }],
    ['without one (an empty body, never a null)', undefined, {}],
  ])('tells the backend with the ended session’s token, %s', async (_name, refreshToken, body) => {
    const h = await setupUni({ logout: '/auth/logout', login: async () => ({ token: 'tk-1', refreshToken }) })
    const session = await h.auth.engine.ensureSession()
    h.auth.logout()
    await flush()
    const notice = h.wx.calls
      .of('request')
      .map(sentOptions)
      .find((o) => o.url === `${API}/auth/logout`)
    expect(notice).toMatchObject({ method: 'POST', header: { Authorization: `Bearer ${session.token}` } })
    expect(notice?.data).toEqual(body)
    expect(h.auth.engine.session).toBeNull()
  })

  it('hands a logout function the ended session', async () => {
    const ended: unknown[] = []
    const h = await setupUni({ logout: async (session) => void ended.push(session) })
    const session = await h.auth.engine.ensureSession()
    h.auth.logout()
    await flush()
    expect(ended).toEqual([session])
  })

  it('without a session there is nobody to tell', async () => {
    const notify = vi.fn(async () => {})
    const h = await setupUni({ logout: notify })
    h.auth.logout()
    await flush()
    expect(notify).not.toHaveBeenCalled()
  })

  it('without a logout option it only ends the session locally', async () => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    const before = networkCalls(h).length
    h.auth.logout()
    await flush()
    expect(networkCalls(h)).toHaveLength(before)
    expect(h.auth.engine.session).toBeNull()
  })

  it('a failed notice is reported on console.debug, never thrown', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const failure = new Error('offline')
    const h = await setupUni({ logout: () => Promise.reject(failure) })
    await h.auth.engine.ensureSession()
    expect(() => h.auth.logout()).not.toThrow()
    await flush()
    expect(debug).toHaveBeenCalledWith('[uni-mp-auth] logout notice failed', failure)
  })
})
