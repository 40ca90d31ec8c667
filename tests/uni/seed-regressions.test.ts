import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../../src/core/errors'
import { flush } from '../../testkit/harness/deferred'
import type { HttpResponse } from '../../testkit/doubles/fake-wx'
import { answerLogin, businessRequests, restart, setupUni } from '../../testkit/harness/uni-harness'

/**
 * The source article's client, bug by bug (docs/ARCHITECTURE.md, "The naive client"), as regression tests against the plugin
 * running on uni-app's real API layer.
 */
describe('regressions from the article’s naive client', () => {
  afterEach(() => vi.useRealTimers())

  it('reLogin: the lock is released after a successful login (the flag was never reset → every later reLogin polled forever)', async () => {
    vi.useFakeTimers()
    const h = await setupUni()
    await h.auth.engine.relogin()
    const second = h.auth.engine.relogin()
    await vi.advanceTimersByTimeAsync(0)
    await expect(second).resolves.toMatchObject({ token: 'tok-2' })
  })

  it('reLogin: waiters share the login result instead of polling every 500 ms', async () => {
    vi.useFakeTimers()
    const h = await setupUni()
    const waiters = Array.from({ length: 5 }, () => h.uni.request({ url: '/orders' }) as Promise<HttpResponse>)
    // No timer is advanced at all: only the login's own I/O settles the waiters.
    await vi.advanceTimersByTimeAsync(0)
    const results = await Promise.all(waiters)
    expect(results.every((r) => r.statusCode === 200)).toBe(true)
    expect(h.backend.counts.logins).toBe(1)
  })

  it('reLogin: a failed login releases the lock and rejects with a reason, not `undefined`', async () => {
    const h = await setupUni()
    answerLogin(h, () => ({ statusCode: 500, data: {} }))
    const error = await h.auth.engine.ensureSession().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    answerLogin(h, () => ({ statusCode: 200, data: { token: 'again' } }))
    await expect(h.auth.engine.ensureSession()).resolves.toMatchObject({ token: 'again' })
  })

  it('checkSession: after one successful check, later requests never log in again (the else-branch relogged on every call)', async () => {
    const first = await setupUni()
    await first.auth.engine.ensureSession()
    const app = restart(first)
    for (let i = 0; i < 20; i++) await app.uni.request({ url: `/page/${i}` })
    expect(app.count('checkSession')).toBe(1)
    expect(app.count('login')).toBe(0)
    expect(businessRequests(app).every((r) => r.auth === 'Bearer tok-1')).toBe(true)
  })

  it('checkSession: the request never leaves before the token exists (UNAUTH was resolved before the login finished)', async () => {
    const h = await setupUni()
    let loginAnswered = false
    h.wx.behaviour.http = (request) => {
      if (!request.url.endsWith('/auth/login')) {
        expect(loginAnswered).toBe(true)
        return undefined
      }
      // The backend's answer, noted as it is delivered.
      return Promise.resolve(h.backend.handle(request)).then((answer) => {
        loginAnswered = true
        return answer
      })
    }
    const res = (await h.uni.request({ url: '/orders' })) as HttpResponse
    expect(res.statusCode).toBe(200)
    expect(businessRequests(h)[0]!.auth).toBe('Bearer tok-1')
  })

  it('problem 1: a token that expires between the check and the request is recovered by one relogin and one replay', async () => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    h.backend.revokeAll() // expires right after the check
    const res = (await h.uni.request({ url: '/orders' })) as HttpResponse
    expect(res.statusCode).toBe(200)
    expect(h.backend.counts.logins).toBe(2)
    await flush()
  })
})
