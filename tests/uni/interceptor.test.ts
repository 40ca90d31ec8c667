import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isAuthError } from '../../src/core/errors'
import { deferred, flush } from '../../testkit/harness/deferred'
import type { HttpAnswer, HttpResponse } from '../../testkit/doubles/fake-wx'
import {
  API,
  answerLogin,
  businessRequests,
  exchanges,
  networkCalls,
  restart,
  sentOptions,
  setupUni,
  type UniHarness,
} from '../../testkit/harness/uni-harness'

type Outcome = { kind: 'success' | 'fail' | 'complete'; value: unknown }

/** Calls uni.request in callback form and records every callback it receives. */
function request(h: UniHarness, url: string, extra: Record<string, unknown> = {}) {
  const outcomes: Outcome[] = []
  const task = h.uni.request({
    url,
    ...extra,
    success: (value: unknown) => outcomes.push({ kind: 'success', value }),
    fail: (value: unknown) => outcomes.push({ kind: 'fail', value }),
    complete: (value: unknown) => outcomes.push({ kind: 'complete', value }),
  })
  return { outcomes, task }
}

const statusOf = (o: Outcome) => (o.value as HttpResponse).statusCode
const codeOf = (o: Outcome) => (isAuthError(o.value) ? o.value.code : 'not an AuthError')

describe('uni.request through the auth interceptor (uni-app real mp-weixin API layer)', () => {
  let h: UniHarness
  beforeEach(async () => {
    h = await setupUni()
  })

  it('cold start: waits for the login, then sends the request with the token (callback form)', async () => {
    const { outcomes } = request(h, '/orders')
    expect(businessRequests(h)).toHaveLength(0) // nothing leaves before the token exists
    await flush()
    expect(h.count('login')).toBe(1)
    expect(businessRequests(h)).toEqual([{ url: `${API}/orders`, auth: 'Bearer tok-1' }])
    expect(outcomes.map((o) => o.kind)).toEqual(['success', 'complete'])
    expect(statusOf(outcomes[0]!)).toBe(200)
  })

  it('promise form: `await uni.request()` resolves with the authorized response', async () => {
    const res = (await h.uni.request({ url: '/orders' })) as HttpResponse
    expect(res.statusCode).toBe(200)
    expect(res.data).toMatchObject({ token: 'tok-1' })
  })

  it('fast path keeps the RequestTask: uni.request returns the wx task, abort() reaches it', async () => {
    await h.auth.engine.ensureSession()
    const { task } = request(h, '/orders')
    const wxTask = h.wx.tasks.at(-1)!
    expect(task).toBe(wxTask)
    ;(task as { abort(): void }).abort()
    expect(wxTask.aborted).toBe(true)
  })

  it('fast path sends synchronously: the wx call happens inside uni.request()', async () => {
    await h.auth.engine.ensureSession()
    const before = h.count('request')
    request(h, '/orders')
    expect(h.count('request')).toBe(before + 1)
  })

  it('never mutates the caller’s options or header object', async () => {
    const header = { 'X-Trace': '1' }
    const options = { url: '/orders', header }
    await h.uni.request(options)
    expect(header).toEqual({ 'X-Trace': '1' })
    expect(options.url).toBe('/orders')
    const sent = sentOptions(h.wx.calls.of('request').at(-1)!)
    expect(sent.header).toMatchObject({ 'X-Trace': '1', Authorization: 'Bearer tok-1' })
    expect(sent).not.toHaveProperty('__uniMpAuth')
  })

  it.each([1, 10, 100, 1000])('%i concurrent requests at cold start → one login, every request carries the same token', async (n) => {
    const results = await Promise.all(Array.from({ length: n }, (_, i) => h.uni.request({ url: `/items/${i}` }) as Promise<HttpResponse>))
    expect(h.count('login')).toBe(1)
    expect(h.backend.counts.logins).toBe(1)
    expect(results.every((r) => r.statusCode === 200)).toBe(true)
    const sent = businessRequests(h)
    expect(sent).toHaveLength(n)
    expect(sent.every((r) => r.auth === 'Bearer tok-1')).toBe(true)
  })

  it('the login request itself bypasses the interceptor (no token, no deadlock)', async () => {
    await h.uni.request({ url: '/orders' })
    const login = networkCalls(h).find((r) => r.url === `${API}/auth/login`)
    expect(login).toEqual({ url: `${API}/auth/login`, auth: undefined })
  })

  it('a skipped URL goes out at once without a token', () => {
    return setupUni({ skip: ['/public/news', /\/health$/] }).then(async (hs) => {
      const res = (await hs.uni.request({ url: '/public/news' })) as HttpResponse
      await hs.uni.request({ url: `${API}/health` })
      expect(hs.count('login')).toBe(0)
      expect(res.statusCode).toBe(401) // the fake backend wants a token; the point is none was sent
      expect(networkCalls(hs).map((r) => r.auth)).toEqual([undefined, undefined])
    })
  })

  it('never sends the token to another host when baseUrl is set', async () => {
    await h.auth.engine.ensureSession()
    await h.uni.request({ url: 'https://cdn.example.com/a.json' })
    expect(networkCalls(h).at(-1)).toEqual({ url: 'https://cdn.example.com/a.json', auth: undefined })
  })
})

describe('401 recovery and replay (invariants 6 and 7)', () => {
  let h: UniHarness
  beforeEach(async () => {
    h = await setupUni()
    await h.auth.engine.ensureSession()
  })

  it('a storm of 100 concurrent 401s → exactly one relogin, 100 replays, one outcome per caller', async () => {
    h.backend.revokeAll()
    const calls = Array.from({ length: 100 }, (_, i) => request(h, `/items/${i}`))
    await flush(30)
    expect(h.backend.counts.logins).toBe(2)
    const sent = businessRequests(h)
    expect(sent).toHaveLength(200)
    expect(sent.filter((r) => r.auth === 'Bearer tok-2')).toHaveLength(100)
    for (const { outcomes } of calls) {
      expect(outcomes.map((o) => o.kind)).toEqual(['success', 'complete'])
      expect(statusOf(outcomes[0]!)).toBe(200)
    }
  })

  it('promise form: the caller sees only the replayed response', async () => {
    h.backend.revokeAll()
    const res = (await h.uni.request({ url: '/orders' })) as HttpResponse
    expect(res.statusCode).toBe(200)
    expect(res.data).toMatchObject({ token: 'tok-2' })
  })

  it('a late 401 for an old token replays with the current one and does not log in again', async () => {
    h.backend.revokeAll()
    const held = deferred<HttpAnswer>()
    let holding = true
    h.wx.behaviour.http = (r) => {
      if (!r.url.endsWith('/slow') || !holding) return undefined
      holding = false // only the first /slow: its replay goes through
      return held.promise
    }
    const slow = request(h, '/slow') // leaves with tok-1, its answer is held back
    expect(networkCalls(h).at(-1)).toEqual({ url: `${API}/slow`, auth: 'Bearer tok-1' })
    await h.uni.request({ url: '/fast' }) // 401 → relogin → tok-2
    expect(h.backend.counts.logins).toBe(2)
    held.resolve({ statusCode: 401 }) // the late 401 for tok-1
    await flush(20)
    expect(h.backend.counts.logins).toBe(2)
    expect(slow.outcomes.map((o) => o.kind)).toEqual(['success', 'complete'])
    expect(statusOf(slow.outcomes[0]!)).toBe(200)
    expect(networkCalls(h).at(-1)).toEqual({ url: `${API}/slow`, auth: 'Bearer tok-2' })
  })

  it('a request that fails again after its replay reaches the caller as that 401 (no loop)', async () => {
    answerLogin(h, () => ({ statusCode: 200, data: { token: 'never-accepted', expiresIn: 3600 } }))
    h.backend.revokeAll()
    const { outcomes } = request(h, '/orders')
    await flush(30)
    expect(outcomes.map((o) => o.kind)).toEqual(['success', 'complete'])
    expect(statusOf(outcomes[0]!)).toBe(401)
    expect(exchanges(h)).toBe(2)
    expect(businessRequests(h).filter((r) => r.url.endsWith('/orders'))).toHaveLength(2)
  })

  it('a failed relogin after a 401 reaches the caller as a typed failure, once', async () => {
    answerLogin(h, () => ({ statusCode: 503, data: 'down' }))
    h.backend.revokeAll()
    const { outcomes } = request(h, '/orders')
    await flush(30)
    expect(outcomes.map((o) => o.kind)).toEqual(['fail', 'complete'])
    expect(codeOf(outcomes[0]!)).toBe('LOGIN_EXCHANGE_FAILED')
  })

  it('maxReplays: 0 hands the 401 straight to the caller', async () => {
    const h0 = await setupUni({ maxReplays: 0 })
    await h0.auth.engine.ensureSession()
    h0.backend.revokeAll()
    const res = (await h0.uni.request({ url: '/orders' })) as HttpResponse
    expect(res.statusCode).toBe(401)
    expect(h0.backend.counts.logins).toBe(1)
  })

  it('a custom isAuthFailure detects a 200 with an error code in the body', async () => {
    const hb = await setupUni({
      isAuthFailure: (res) => (res.data as { code?: string } | undefined)?.code === 'AUTH_TOKEN_EXPIRED',
    })
    await hb.auth.engine.ensureSession()
    hb.backend.revokeAll()
    const res = (await hb.uni.request({ url: '/orders' })) as HttpResponse
    expect(res.statusCode).toBe(200)
    expect(hb.backend.counts.logins).toBe(2)
  })

  it('a throwing isAuthFailure delivers the response unchanged instead of losing it', async () => {
    const hb = await setupUni({
      isAuthFailure: () => {
        throw new Error('bug in predicate')
      },
    })
    const res = (await hb.uni.request({ url: '/orders' })) as HttpResponse
    expect(res.statusCode).toBe(200)
  })
})

describe('login failures reach the request as typed errors (never hang)', () => {
  afterEach(() => vi.useRealTimers())

  it.each([
    ['HTTP 500', () => ({ statusCode: 500, data: { code: 'X' } })],
    ['malformed JSON', () => ({ statusCode: 200, data: '{not json' })],
    ['a body without token', () => ({ statusCode: 200, data: { hello: 1 } })],
    ['a network error', () => 'network-fail' as const],
  ])('exchange answering %s → fail + complete once with LOGIN_EXCHANGE_FAILED; promise form rejects', async (_, answer) => {
    const h = await setupUni()
    answerLogin(h, answer)
    const { outcomes } = request(h, '/orders')
    await flush(20)
    expect(outcomes.map((o) => o.kind)).toEqual(['fail', 'complete'])
    expect(codeOf(outcomes[0]!)).toBe('LOGIN_EXCHANGE_FAILED')
    expect((outcomes[0]!.value as { errMsg: string }).errMsg).toContain(':fail')
    await expect(h.uni.request({ url: '/orders' })).rejects.toMatchObject({ code: 'LOGIN_EXCHANGE_FAILED' })
    expect(businessRequests(h)).toHaveLength(0)
  })

  it('uni.login never calling back → the request fails with LOGIN_TIMEOUT at the deadline', async () => {
    vi.useFakeTimers()
    const h = await setupUni({ engine: { loginTimeoutMs: 3000 } })
    h.wx.behaviour.login = 'hang'
    const { outcomes } = request(h, '/orders')
    await vi.advanceTimersByTimeAsync(2999)
    expect(outcomes).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(outcomes.map((o) => o.kind)).toEqual(['fail', 'complete'])
    expect(codeOf(outcomes[0]!)).toBe('LOGIN_TIMEOUT')
  })

  it('logout while requests wait for the login → they fail with LOGGED_OUT, nothing is sent', async () => {
    const h = await setupUni()
    answerLogin(h, () => 'hang')
    const pending = Array.from({ length: 3 }, () => h.uni.request({ url: '/orders' }))
    await flush()
    h.auth.logout()
    const results = await Promise.allSettled(pending)
    expect(results.map((r) => r.status === 'rejected' && (r.reason as { code: string }).code)).toEqual([
      'LOGGED_OUT',
      'LOGGED_OUT',
      'LOGGED_OUT',
    ])
    expect(businessRequests(h)).toHaveLength(0)
  })

  it('a custom exchange that calls uni.request through the interceptor fails fast with LOGIN_DEADLOCK', async () => {
    vi.useFakeTimers()
    let uniRef: UniHarness['uni'] | null = null
    const h = await setupUni({
      login: (code) => uniRef!.request({ url: '/my-login', method: 'POST', data: { code } }) as never,
    })
    uniRef = h.uni
    const res = (h.uni.request({ url: '/orders' }) as Promise<unknown>).then(
      () => 'resolved',
      (e: unknown) => (isAuthError(e) ? e.code : 'other'),
    )
    await vi.advanceTimersByTimeAsync(0)
    expect(await res).toBe('LOGIN_DEADLOCK')
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('uploadFile and downloadFile', () => {
  it('uploadFile waits for the session and carries the token', async () => {
    const h = await setupUni()
    const res = (await h.uni.uploadFile!({ url: '/me/avatar', filePath: 'wxfile://tmp/a.png', name: 'avatar' })) as HttpResponse
    expect(res.statusCode).toBe(200)
    const upload = sentOptions(h.wx.calls.of('uploadFile')[0]!)
    expect(upload.header).toMatchObject({ Authorization: 'Bearer tok-1' })
    expect(upload.filePath).toBe('wxfile://tmp/a.png')
  })

  it('downloadFile replays once after a 401', async () => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    h.backend.revokeAll()
    const res = (await h.uni.downloadFile!({ url: '/files/report.pdf' })) as HttpResponse
    expect(res.statusCode).toBe(200)
    expect(h.count('downloadFile')).toBe(2)
  })
})

describe('relaunch (invariant 5 through the interceptor)', () => {
  it('a stored valid token and a passing checkSession → zero logins', async () => {
    const first = await setupUni()
    await first.auth.engine.ensureSession()
    const app = restart(first)
    await Promise.all(Array.from({ length: 10 }, () => app.uni.request({ url: '/orders' })))
    expect(app.count('login')).toBe(0)
    expect(app.count('checkSession')).toBe(1)
  })

  it("'blocking': a failing checkSession → exactly one login, shared by all waiting requests", async () => {
    const first = await setupUni()
    await first.auth.engine.ensureSession()
    first.wx.behaviour.checkSession = { fail: 'session time out' }
    const app = restart(first, { engine: { sessionCheck: 'blocking' } })
    const results = (await Promise.all(Array.from({ length: 10 }, () => app.uni.request({ url: '/orders' })))) as HttpResponse[]
    expect(app.count('login')).toBe(1)
    expect(results.every((r) => r.statusCode === 200)).toBe(true)
    expect(businessRequests(app).every((r) => r.auth === 'Bearer tok-2')).toBe(true)
  })

  it('by default a failing checkSession → the first requests keep the stored token, one login follows for later ones', async () => {
    const first = await setupUni()
    await first.auth.engine.ensureSession()
    first.wx.behaviour.checkSession = { fail: 'session time out' }
    const app = restart(first)
    const early = (await Promise.all(Array.from({ length: 5 }, () => app.uni.request({ url: '/orders' })))) as HttpResponse[]
    await vi.waitFor(() => expect(app.auth.engine.session?.generation).toBe(2))
    await app.uni.request({ url: '/later' })
    expect(app.count('login')).toBe(1)
    expect(early.every((r) => r.statusCode === 200)).toBe(true)
    expect(businessRequests(app).map((r) => r.auth)).toEqual([...Array(5).fill('Bearer tok-1'), 'Bearer tok-2'])
  })

  it('by default the first requests go out with the stored token before checkSession answers', async () => {
    const first = await setupUni()
    await first.auth.engine.ensureSession()
    first.wx.behaviour.checkSession = 'hang'
    const app = restart(first)
    const task = app.uni.request({ url: '/orders', success: () => {} })
    expect(task).toBe(app.wx.tasks.at(-1)) // fast path from the first request on: the task survives
    expect(businessRequests(app)).toEqual([{ url: `${API}/orders`, auth: 'Bearer tok-1' }])
    expect(app.count('checkSession')).toBe(1)
    expect(app.count('login')).toBe(0)
  })

  it('a platform without checkSession support ("not supported") keeps the stored token', async () => {
    const first = await setupUni()
    await first.auth.engine.ensureSession()
    first.wx.behaviour.checkSession = { fail: 'not supported' }
    const app = restart(first)
    await app.uni.request({ url: '/orders' })
    expect(app.count('login')).toBe(0)
  })
})
