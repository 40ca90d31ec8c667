import { afterEach, describe, expect, it, vi } from 'vitest'
import { type AuthError, isAuthError } from '../../src/core/errors'
import { createAuth } from '../../src/uni/create-auth'
import { answerLogin, exchanges, setupUni } from '../../testkit/harness/uni-harness'

/** What the reference backend's rate limit answers (status, lowercase header, body). */
const rateLimited = (seconds: string) => () => ({
  statusCode: 429,
  header: { 'retry-after': seconds, 'content-type': 'application/json; charset=utf-8' },
  data: { code: 'RATE_LIMITED', message: 'Too many login attempts' },
})

const failure = (promise: unknown) =>
  (promise as Promise<unknown>).then(
    () => null,
    (error: unknown) => error,
  )

describe("a refused login's Retry-After becomes the backoff", () => {
  afterEach(() => vi.useRealTimers())

  it('a 429 with Retry-After: 30 holds automatic logins for 30 s, then the next request logs in', async () => {
    vi.useFakeTimers()
    const h = await setupUni()
    answerLogin(h, rateLimited('30'))
    const first = (await failure(h.uni.request({ url: '/orders' }))) as AuthError
    expect(first.code).toBe('LOGIN_EXCHANGE_FAILED')
    expect(first.retryAfterMs).toBe(30_000)
    expect(first.message).toContain('HTTP 429')
    expect(exchanges(h)).toBe(1)

    // The very next attempt would normally go at once (no pause after one failure): not before 30 s.
    await vi.advanceTimersByTimeAsync(29_000)
    const held = (await failure(h.uni.request({ url: '/orders' }))) as AuthError
    expect(held.code).toBe('LOGIN_BACKOFF')
    expect(held.retryAfterMs).toBe(1000)
    expect(exchanges(h)).toBe(1)

    h.wx.behaviour.http = null
    await vi.advanceTimersByTimeAsync(1000)
    const res = (await h.uni.request({ url: '/orders' })) as { statusCode: number }
    expect(res.statusCode).toBe(200)
    expect(exchanges(h)).toBe(2)
  })

  it('reads the header whatever its case, and ignores a Retry-After that is not a number of seconds', async () => {
    vi.useFakeTimers()
    const h = await setupUni()
    answerLogin(h, () => ({ statusCode: 503, header: { 'Retry-After': '5' }, data: {} }))
    expect(((await failure(h.auth.engine.ensureSession())) as AuthError).retryAfterMs).toBe(5000)
    await vi.advanceTimersByTimeAsync(5000)
    answerLogin(h, () => ({ statusCode: 429, header: { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' }, data: {} }))
    const second = (await failure(h.auth.engine.ensureSession())) as AuthError
    expect(isAuthError(second)).toBe(true)
    expect(second.retryAfterMs).toBeUndefined()
  })

  it('without Retry-After a refusal carries no server delay: the first failure is retried at once', async () => {
    const h = await setupUni()
    answerLogin(h, () => ({ statusCode: 500, header: {}, data: {} }))
    expect(((await failure(h.auth.engine.ensureSession())) as AuthError).retryAfterMs).toBeUndefined()
    h.wx.behaviour.http = null
    await expect(h.auth.engine.ensureSession()).resolves.toMatchObject({ generation: 1 })
  })
})

describe('H5 without getCode', () => {
  it('a login fails with LOGIN_PLATFORM_FAILED, and the message says to pass getCode', async () => {
    // An H5 build's uni: no login.
    const uni = {
      request() {},
      addInterceptor() {},
      removeInterceptor() {},
      getStorageSync: () => '',
      setStorageSync() {},
      removeStorageSync() {},
    }
    const auth = createAuth({ login: '/auth/login', baseUrl: 'https://api.test', host: { uni } })
    const error = (await failure(auth.engine.ensureSession())) as AuthError
    expect(error.code).toBe('LOGIN_PLATFORM_FAILED')
    expect(error.message).toContain('uni.login is missing here (H5?): pass `getCode` to createUniAuth')
  })
})
