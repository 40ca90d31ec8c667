import { describe, expect, it } from 'vitest'
import { isAuthError } from '../../src/core/errors'
import { deferred, flush } from '../../testkit/harness/deferred'
import type { HttpResponse } from '../../testkit/doubles/fake-wx'
import { businessRequests, exchanges, restart, setupUni, type UniHarness } from '../../testkit/harness/uni-harness'

type Outcome = { kind: 'success' | 'fail' | 'complete'; value: unknown }

function request(h: UniHarness, url: string) {
  const outcomes: Outcome[] = []
  h.uni.request({
    url,
    success: (value: unknown) => outcomes.push({ kind: 'success', value }),
    fail: (value: unknown) => outcomes.push({ kind: 'fail', value }),
    complete: (value: unknown) => outcomes.push({ kind: 'complete', value }),
  })
  return outcomes
}

const statusOf = (o: Outcome) => (o.value as HttpResponse).statusCode

// Invariant 9 at the interceptor: after an explicit logout no request logs the user in again.
describe('requests after logout (uni-app real mp-weixin API layer)', () => {
  it('leave without a token and start no login; their 401 reaches the caller as it is', async () => {
    const h = await setupUni()
    await h.uni.request({ url: '/me' })
    h.auth.logout()
    const outcomes = [request(h, '/me'), request(h, '/public'), request(h, '/me')]
    await flush(20)
    expect(exchanges(h)).toBe(1)
    expect(h.count('login')).toBe(1)
    expect(businessRequests(h).slice(1)).toEqual([
      { url: expect.stringMatching(/\/me$/), auth: undefined },
      { url: expect.stringMatching(/\/public$/), auth: undefined },
      { url: expect.stringMatching(/\/me$/), auth: undefined },
    ])
    for (const outcome of outcomes) {
      expect(outcome.map((o) => o.kind)).toEqual(['success', 'complete'])
    }
    expect(statusOf(outcomes[0]![0]!)).toBe(401)
  })

  it('a request that left with the token before the logout and is refused after it: the caller gets the 401, no renewal', async () => {
    const h = await setupUni()
    await h.uni.request({ url: '/me' })
    const held = deferred<void>()
    h.wx.behaviour.http = (sent) =>
      sent.url.endsWith('/slow') ? held.promise.then(() => ({ statusCode: 401, data: {}, header: {} })) : undefined
    const outcomes = request(h, '/slow')
    await flush()
    h.auth.logout()
    held.resolve()
    await flush(20)
    expect(outcomes.map((o) => o.kind)).toEqual(['success', 'complete'])
    expect(statusOf(outcomes[0]!)).toBe(401)
    expect(h.count('login')).toBe(1)
  })

  it('a request waiting for the login when the logout comes: fail + complete with LOGGED_OUT, once', async () => {
    const h = await setupUni()
    h.wx.behaviour.latency = { login: 50 }
    const outcomes = request(h, '/me')
    await flush()
    h.auth.logout()
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(outcomes.map((o) => o.kind)).toEqual(['fail', 'complete'])
    expect(isAuthError(outcomes[0]!.value) && outcomes[0]!.value.code).toBe('LOGGED_OUT')
    expect(exchanges(h)).toBe(0)
  })

  it('after a relaunch the user is still logged out; the login action logs in once and requests carry the token again', async () => {
    const first = await setupUni()
    await first.uni.request({ url: '/me' })
    first.auth.logout()
    const h = restart(first)
    await h.uni.request({ url: '/me' })
    await h.uni.request({ url: '/me' })
    expect(h.count('login')).toBe(0)
    await h.auth.engine.relogin()
    await h.uni.request({ url: '/me' })
    expect(h.count('login')).toBe(1)
    expect(businessRequests(h).map((r) => r.auth)).toEqual([undefined, undefined, `Bearer ${h.backend.issued.at(-1)!.token}`])
  })
})
