import { afterEach, describe, expect, it, vi } from 'vitest'
import { isAuthError } from '../../src/core/errors'
import type { AuthEvent } from '../../src/core/events'
import { flush } from '../../testkit/harness/deferred'
import { API, answerLogin, businessRequests, setupUni, type UniHarness } from '../../testkit/harness/uni-harness'

/** Every request event of the plugin from now on, without timestamps. */
function requestEvents(h: UniHarness) {
  const events: Array<Record<string, unknown>> = []
  h.auth.engine.subscribe(({ at: _, ...event }: AuthEvent) => {
    if (event.type.startsWith('request-')) events.push(event)
  })
  return events
}

describe('request events (development builds)', () => {
  it('a request with a usable session: start, send and end, no wait', async () => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    const events = requestEvents(h)
    await h.uni.request({ url: '/orders' })
    expect(events).toEqual([
      { type: 'request-start', request: 1, api: 'request', method: 'GET', url: `${API}/orders` },
      { type: 'request-send', request: 1, replay: 0, generation: 1 },
      { type: 'request-end', request: 1, statusCode: 200, error: undefined },
    ])
  })

  it('requests are numbered from 1 in the order they are made; a replay keeps its number and starts once', async () => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    const events = requestEvents(h)
    await h.uni.request({ url: '/a' })
    await h.uni.request({ url: '/b' })
    h.backend.revokeAll()
    await h.uni.request({ url: '/c' })
    expect(events.filter((e) => e.type === 'request-start').map((e) => e.request)).toEqual([1, 2, 3])
    expect(events.filter((e) => e.request === 3).map((e) => e.type)).toEqual([
      'request-start',
      'request-send',
      'request-unauthorized',
      'request-wait',
      'request-send',
      'request-end',
    ])
  })

  it.each([
    ['request', {}, 'GET'],
    ['request', { method: 'post' }, 'POST'],
    ['request', { method: 'DELETE' }, 'DELETE'],
    ['uploadFile', { filePath: 'wxfile://a.png', name: 'f' }, 'POST'],
    ['downloadFile', {}, 'GET'],
  ] as const)('uni.%s(%j) starts as method %s', async (api, extra, method) => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    const events = requestEvents(h)
    await (h.uni[api] as (o: object) => Promise<unknown>)({ url: '/files/x', ...extra })
    expect(events[0]).toMatchObject({ type: 'request-start', api, method })
  })

  it('a request the network fails ends with its errMsg; an answered one with its status alone', async () => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    h.wx.behaviour.http = (request) => (request.url.endsWith('/down') ? 'network-fail' : undefined)
    const events = requestEvents(h)
    await (h.uni.request({ url: '/down' }) as Promise<unknown>).catch(() => {})
    await h.uni.request({ url: '/up' })
    expect(events.filter((e) => e.type === 'request-end')).toEqual([
      { type: 'request-end', request: 1, statusCode: undefined, error: 'request:fail url not in domain list' },
      { type: 'request-end', request: 2, statusCode: 200, error: undefined },
    ])
  })
})

describe('production builds', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
    vi.useRealTimers()
  })

  it('report no request events', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const h = await setupUni()
    const events = requestEvents(h)
    await h.uni.request({ url: '/cold' })
    h.backend.revokeAll()
    await h.uni.request({ url: '/refused' })
    await h.uni.request({ url: '/down' })
    await new Promise((resolve) => h.uni.request({ url: '/with-complete', complete: resolve }))
    answerLogin(h, () => ({ statusCode: 500, data: {} }))
    h.backend.revokeAll()
    await new Promise((resolve) => h.uni.request({ url: '/login-fails', complete: resolve }))
    h.auth.logout()
    await h.uni.request({ url: '/logged-out' })
    expect(businessRequests(h)).toHaveLength(7)
    expect(events).toEqual([])
  })

  it('add no complete wrapper to a request that has no complete', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    h.uni.request({ url: '/orders', success: () => {} })
    expect((h.wx.calls.of('request').at(-1)!.args[0] as { complete?: unknown }).complete).toBeUndefined()
    await flush()
  })

  it('still hand a replayed request’s complete exactly one outcome', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    h.backend.revokeAll()
    const completes: number[] = []
    h.uni.request({ url: '/orders', complete: (res: { statusCode: number }) => completes.push(res.statusCode) })
    await flush(30)
    expect(completes).toEqual([200])
  })

  it('do not probe for a login function that sends through the interceptor: it ends in LOGIN_TIMEOUT, never a hang', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    vi.useFakeTimers()
    let uniRef: UniHarness['uni'] | null = null
    const h = await setupUni({
      login: (code) => uniRef!.request({ url: '/my-login', method: 'POST', data: { code } }) as never,
      engine: { loginTimeoutMs: 3000 },
    })
    uniRef = h.uni
    const outcome = (h.uni.request({ url: '/orders' }) as Promise<unknown>).then(
      () => 'resolved',
      (e: unknown) => (isAuthError(e) ? e.code : 'other'),
    )
    await vi.advanceTimersByTimeAsync(3000)
    expect(await outcome).toBe('LOGIN_TIMEOUT')
  })
})
