import { afterEach, describe, expect, it, vi } from 'vitest'
import { isAuthError } from '../../src/core/errors'
import type { AuthResponse } from '../../src/uni/auth-config'
import { flush } from '../../testkit/harness/deferred'
import type { HttpResponse } from '../../testkit/doubles/fake-wx'
import { API, answerLogin, businessRequests, networkCalls, sentOptions, setupUni, type UniHarness } from '../../testkit/harness/uni-harness'

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('the token header', () => {
  it('header() is called once per token, not once per request', async () => {
    const header = vi.fn((token: string) => ({ Authorization: `Bearer ${token}`, 'X-Client': 'app' }))
    const h = await setupUni({ header })
    for (let i = 0; i < 5; i++) await h.uni.request({ url: `/items/${i}` })
    expect(header).toHaveBeenCalledTimes(1)
    h.backend.revokeAll()
    await h.uni.request({ url: '/items/again' })
    await h.uni.request({ url: '/items/after' })
    expect(header.mock.calls).toEqual([['tok-1'], ['tok-2']])
    expect(sentOptions(h.wx.calls.of('request').at(-1)!).header).toEqual({ Authorization: 'Bearer tok-2', 'X-Client': 'app' })
  })
})

describe('uninstall()', () => {
  it('removes the interceptors: requests go out untouched, nothing logs in', async () => {
    const h = await setupUni()
    h.auth.uninstall()
    await h.uni.request({ url: `${API}/orders` })
    await (h.uni.uploadFile!({ url: `${API}/me/avatar`, filePath: 'wxfile://a.png', name: 'f' }) as Promise<unknown>).catch(() => {})
    await h.uni.downloadFile!({ url: `${API}/files/x` })
    expect(h.count('login')).toBe(0)
    expect(networkCalls(h).map((r) => r.auth)).toEqual([undefined, undefined, undefined])
  })
})

describe('login deadlock (development builds)', () => {
  it('the login function’s own request is refused with a message naming it, and never reaches the network', async () => {
    vi.useFakeTimers()
    let uniRef: UniHarness['uni'] | null = null
    const refused: unknown[] = []
    const h = await setupUni({
      login: (code) =>
        new Promise((_, reject) =>
          uniRef!.request({ url: '/my-login', method: 'POST', data: { code }, fail: (e: unknown) => (refused.push(e), reject(e)) }),
        ),
    })
    uniRef = h.uni
    await (h.uni.request({ url: '/orders' }) as Promise<unknown>).catch(() => {})
    expect(refused).toHaveLength(1)
    expect(refused[0]).toMatchObject({
      code: 'LOGIN_DEADLOCK',
      message: `your login function sent uni.request(${API}/my-login) through the auth interceptor: add it to \`skip\``,
    })
    expect(networkCalls(h).filter((r) => r.url.endsWith('/my-login'))).toEqual([])
  })
})

describe('callbacks the caller did or did not pass', () => {
  it('a request with only a complete callback gets its complete on the fast path, and nothing throws', async () => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const completes: unknown[] = []
    h.uni.request({ url: '/orders', complete: (res: unknown) => completes.push(res) })
    await flush()
    expect(completes).toEqual([expect.objectContaining({ statusCode: 200 })])
    expect(error).not.toHaveBeenCalled()
  })

  it('a request with only a success callback whose login fails: no callback to call, nothing thrown or logged', async () => {
    const h = await setupUni()
    answerLogin(h, () => ({ statusCode: 500, data: {} }))
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const success = vi.fn()
    h.uni.request({ url: '/orders', success })
    await flush(20)
    expect(success).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
  })

  it('a throwing fail callback is reported on console.error, and complete still runs', async () => {
    const h = await setupUni()
    answerLogin(h, () => ({ statusCode: 500, data: {} }))
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const bug = new Error('caller bug')
    const completes: unknown[] = []
    h.uni.request({
      url: '/orders',
      fail: () => {
        throw bug
      },
      complete: (e: unknown) => completes.push(e),
    })
    await flush(20)
    expect(error).toHaveBeenCalledWith(bug)
    expect(completes).toHaveLength(1)
    expect(isAuthError(completes[0])).toBe(true)
  })
})

describe('isAuthFailure', () => {
  it.each([
    ['a string', 'plain text'],
    ['null', null],
  ])('only ever sees response objects: %s a user hook made of the response is handed on as it is', async (_, replaced) => {
    const isAuthFailure = vi.fn((response: AuthResponse) => response.statusCode === 401)
    const h = await setupUni({ isAuthFailure })
    await h.auth.engine.ensureSession()
    h.uni.addInterceptor('request', { success: () => Promise.resolve(replaced) } as never)
    const received: unknown[] = []
    h.uni.request({ url: '/orders', success: (value: unknown) => received.push(value) })
    await flush(20)
    expect(received).toEqual([replaced])
    expect(isAuthFailure.mock.calls.map(([response]) => typeof response)).toEqual(['object'])
    expect(isAuthFailure.mock.calls.every(([response]) => response !== null)).toBe(true)
  })

  it('a throwing predicate is reported on console.error and counts as no auth failure: no renewal, no replay', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const bug = new Error('bug in predicate')
    const h = await setupUni({
      isAuthFailure: () => {
        throw bug
      },
    })
    await h.auth.engine.ensureSession()
    h.backend.revokeAll()
    const res = (await h.uni.request({ url: '/orders' })) as HttpResponse
    expect(res.statusCode).toBe(401)
    expect(h.backend.counts.logins).toBe(1)
    expect(businessRequests(h)).toHaveLength(1)
    expect(error).toHaveBeenCalledWith('[uni-mp-auth] isAuthFailure threw', bug)
  })
})

describe('URLs that are not strings', () => {
  it.each([
    ['a number', 42],
    ['a URL object', new URL(`${API}/orders`)],
  ])('%s is passed on to uni as it is, without the token (it cannot be scoped) and without the plugin throwing', async (_, url) => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    expect(() => h.uni.request({ url: url as never, success: () => {} })).not.toThrow()
    const sent = sentOptions(h.wx.calls.of('request').at(-1)!)
    expect(sent.url).toBe(url)
    expect(sent.header?.Authorization).toBeUndefined()
    await flush()
  })
})

describe('the plugin’s own calls', () => {
  it('leave without the bypass marker', async () => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    const login = h.wx.calls.of('request').find((call) => sentOptions(call).url === `${API}/auth/login`)!
    expect(login.args[0]).not.toHaveProperty('__uniMpAuth')
  })
})
