import { describe, expect, it } from 'vitest'
import { API, argsOf, authOf, bearer, callsTo, launchAndLoad, logLines, SESSION_KEY, startHost } from './support'

describe('cold start', () => {
  // Real timers here on purpose: the host works without fake timers too (the fake wx answers in 5 ms).
  it('logs in once, exchanges once, then sends the token and persists it', async () => {
    const host = startHost({ fakeTimers: false })
    await launchAndLoad(host)
    const { calls } = host.fake

    expect(calls.count('login')).toBe(1)
    const exchanges = callsTo(host, '/auth/login')
    expect(exchanges).toHaveLength(1)
    expect(argsOf(exchanges[0]!)).toMatchObject({ method: 'POST', data: { code: 'code-1' } })
    expect(authOf(exchanges[0]!)).toBeUndefined()
    expect(exchanges[0]!.seq).toBeGreaterThan(calls.of('login')[0]!.seq)

    expect(host.backend.issued).toHaveLength(1)
    const token = host.backend.issued[0]!.token
    const pageRequests = host.fake.calls.of('request').filter((call) => argsOf(call).url !== `${API}/auth/login`)
    expect(pageRequests.map((call) => argsOf(call).url)).toEqual([`${API}/me`])
    expect(pageRequests.map(authOf)).toEqual([bearer(token)])

    const writes = calls.of('setStorageSync').filter((call) => call.args[0] === SESSION_KEY)
    expect(writes).toHaveLength(1)
    expect(JSON.parse(String(writes[0]!.args[1]))).toMatchObject({ token, generation: 1, user: { id: 'u1' } })
    expect(host.storage.has(SESSION_KEY)).toBe(true)

    expect(logLines(host)).toEqual(['GET /me → 200'])
    expect(host.page.text('status')).toBe('status: authenticated')
    expect(host.page.text('token')).toBe(`token: …${token.slice(-8)}`)
    expect(host.page.text('user')).toBe('user: u1')
  })

  it('a later tap reuses the session: no new login, same token', async () => {
    const host = startHost()
    await launchAndLoad(host)
    host.page.tap('load')
    await host.until(() => logLines(host).length === 2, { what: 'second GET /me' })

    expect(host.fake.calls.count('login')).toBe(1)
    expect(host.fake.calls.count('checkSession')).toBe(0)
    expect(callsTo(host, '/auth/login')).toHaveLength(1)
    expect(callsTo(host, '/me').map(authOf)).toEqual([bearer(host.backend.issued[0]!.token), bearer(host.backend.issued[0]!.token)])
    expect(logLines(host)).toEqual(['GET /me → 200', 'GET /me → 200'])
  })
})
