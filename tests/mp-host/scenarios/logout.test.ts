import { describe, expect, it } from 'vitest'
import { authOf, bearer, callsTo, launchAndLoad, logLines, SESSION_KEY, startHost } from './support'

describe('logout from the page', () => {
  it('replaces the stored token with the logged-out mark, tells the backend, and requests leave without a token until the login action', async () => {
    const host = startHost()
    await launchAndLoad(host)
    const old = host.backend.issued[0]!.token
    expect(host.storage.has(SESSION_KEY)).toBe(true)

    host.page.tap('logout')
    await host.until(() => logLines(host)[0] === 'logout', { what: 'logout' })
    await host.advance(20)

    expect(host.fake.calls.of('setStorageSync').map((call) => call.args[0])).toEqual([SESSION_KEY, SESSION_KEY])
    expect(JSON.parse(String(host.storage.get(SESSION_KEY)))).toEqual({ v: 2, loggedOut: true })
    const notices = callsTo(host, '/auth/logout')
    expect(notices).toHaveLength(1)
    expect(authOf(notices[0]!)).toBe(bearer(old))
    expect(host.backend.isValid(old)).toBe(false)
    expect(host.page.text('token')).toBe('token: —')
    expect(host.page.text('logged-in')).toBe('not logged in')
    expect(host.page.text('status')).toBe('status: logged-out')

    host.page.tap('load')
    await host.until(() => logLines(host)[0]?.startsWith('GET /me') === true, { what: 'GET /me after logout' })
    expect(logLines(host)[0]).toBe('GET /me → 401')
    expect(host.fake.calls.count('login')).toBe(1)

    host.page.tap('relogin')
    await host.until(() => logLines(host)[0] === 'relogin → ok', { what: 'the login action' })
    host.page.tap('load')
    await host.until(() => logLines(host)[0] === 'GET /me → 200', { what: 'GET /me after the login action' })
    expect(host.fake.calls.count('login')).toBe(2)
    expect(callsTo(host, '/auth/login')).toHaveLength(2)
    const fresh = host.backend.issued[1]!.token
    expect(fresh).not.toBe(old)
    expect(callsTo(host, '/me').map(authOf)).toEqual([bearer(old), undefined, bearer(fresh)])
    expect(JSON.parse(String(host.storage.get(SESSION_KEY)))).toMatchObject({ v: 2, token: fresh })
  })
})
