import { beforeEach, describe, expect, it } from 'vitest'
import type { UniLike, UniOptions } from '../../src/uni/uni-host'
import { flush } from '../../testkit/harness/deferred'
import type { HttpResponse } from '../../testkit/doubles/fake-wx'
import { clearInterceptors, loadRealUni } from '../../testkit/harness/real-uni'
import { API, businessRequests, sentOptions, setupUni, type UniHarness } from '../../testkit/harness/uni-harness'

/**
 * A typical user interceptor: prefixes relative URLs and appends itself to an `X-Via` header. The
 * append is not idempotent, so applying the hook twice to one request shows as `user,user`.
 */
function userInterceptor(log: string[]) {
  return {
    invoke(args: UniOptions) {
      if (typeof args.url === 'string' && args.url.startsWith('/')) args.url = `${API}${args.url}`
      const header = (args.header ?? {}) as Record<string, string>
      args.header = { ...header, 'X-Via': header['X-Via'] ? `${header['X-Via']},user` : 'user' }
      log.push(`invoke ${String(args.url)}`)
    },
    success() {
      log.push('success hook')
    },
  }
}

// Invariant 12 and trap 4 of docs/ARCHITECTURE.md ("uni-app's interceptor traps"): compose with the user's own request interceptor, in both orders.
describe.each(['before', 'after'] as const)('a user request interceptor registered %s ours', (order) => {
  let h: UniHarness
  let log: string[]
  beforeEach(async () => {
    log = []
    const own = userInterceptor(log)
    const register = (uni: UniLike) => uni.addInterceptor('request', own)
    // No baseUrl in the plugin: the user's interceptor does the prefixing.
    h = await setupUni({ baseUrl: undefined, login: `${API}/auth/login` }, order === 'before' ? register : undefined)
    if (order === 'after') register(h.uni)
  })

  it('cold start (slow path): the request is sent once, as an object, with the token, the user hook applied once', async () => {
    const res = (await h.uni.request({ url: '/orders' })) as HttpResponse
    expect(res.statusCode).toBe(200)
    const sent = h.wx.calls.of('request').filter((c) => sentOptions(c).url === `${API}/orders`)
    expect(sent).toHaveLength(1)
    expect(typeof sent[0]!.args[0]).toBe('object')
    expect(sentOptions(sent[0]!).header).toEqual({ Authorization: 'Bearer tok-1', 'X-Via': 'user' })
    // One success hook call each for the login response and the business response.
    expect(log.filter((l) => l === 'success hook')).toHaveLength(2)
  })

  it('warm (fast path): one request, one stamp, the task is returned', async () => {
    await h.auth.engine.ensureSession()
    const task = h.uni.request({ url: '/orders', success: () => {} })
    expect(task).toBe(h.wx.tasks.at(-1))
    await flush()
    const sent = businessRequests(h)
    expect(sent).toEqual([{ url: `${API}/orders`, auth: 'Bearer tok-1' }])
    expect(sentOptions(h.wx.calls.of('request').at(-1)!).header).toEqual({ Authorization: 'Bearer tok-1', 'X-Via': 'user' })
  })

  it('401 replay: the replay goes through the user hook once more, with the new token', async () => {
    await h.auth.engine.ensureSession()
    h.backend.revokeAll()
    const res = (await h.uni.request({ url: '/orders' })) as HttpResponse
    expect(res.statusCode).toBe(200)
    const sent = businessRequests(h)
    expect(sent).toEqual([
      { url: `${API}/orders`, auth: 'Bearer tok-1' },
      { url: `${API}/orders`, auth: 'Bearer tok-2' },
    ])
    expect(sentOptions(h.wx.calls.of('request').at(-1)!).header).toEqual({ Authorization: 'Bearer tok-2', 'X-Via': 'user' })
  })
})

// Why the interceptor never returns a promise from invoke: this is uni-app's behaviour today.
// If uni-app fixes queue(), this canary fails and trap 4 in docs/ARCHITECTURE.md can be revisited.
describe('uni-app trap canary (trap 4 of docs/ARCHITECTURE.md)', () => {
  it('an async invoke followed by a second interceptor makes uni call wx.request with a function', async () => {
    const { uni, wx } = await loadRealUni()
    clearInterceptors(uni)
    wx.reset({ behaviour: { latencyMs: 0 } })
    uni.addInterceptor('request', { invoke: (() => Promise.resolve()) as never })
    uni.addInterceptor('request', { invoke: () => {} })
    void uni.request({ url: `${API}/x`, success: () => {} })
    await flush()
    expect(typeof wx.calls.of('request')[0]?.args[0]).toBe('function')
    clearInterceptors(uni)
  })
})
