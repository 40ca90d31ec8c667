import { describe, expect, it } from 'vitest'
import { authOf, bearer, callsTo, launchAndLoad, logLines, SESSION_KEY, startHost } from './support'

describe('logout from the page', () => {
  it('clears storage, tells the backend, and the next request logs in afresh', async () => {
    const host = startHost()
    await launchAndLoad(host)
    const old = host.backend.issued[0]!.token
    expect(host.storage.has(SESSION_KEY)).toBe(true)

    host.page.tap('logout')
    await host.until(() => logLines(host)[0] === 'logout', { what: 'logout' })
    await host.advance(20)

    expect(host.fake.calls.of('removeStorageSync').map((call) => call.args[0])).toEqual([SESSION_KEY])
    expect(host.storage.has(SESSION_KEY)).toBe(false)
    const notices = callsTo(host, '/auth/logout')
    expect(notices).toHaveLength(1)
    expect(authOf(notices[0]!)).toBe(bearer(old))
    expect(host.backend.isValid(old)).toBe(false)
    expect(host.page.text('token')).toBe('token: —')
    expect(host.page.text('logged-in')).toBe('not logged in')
    expect(host.page.text('status')).toBe('status: logged-out')

    host.page.tap('load')
    await host.until(() => logLines(host)[0]?.startsWith('GET /me') === true, { what: 'GET /me after logout' })

    expect(logLines(host)[0]).toBe('GET /me → 200')
    expect(host.fake.calls.count('login')).toBe(2)
    expect(callsTo(host, '/auth/login')).toHaveLength(2)
    const fresh = host.backend.issued[1]!.token
    expect(fresh).not.toBe(old)
    expect(callsTo(host, '/me').map(authOf)).toEqual([bearer(old), bearer(fresh)])
    expect(JSON.parse(String(host.storage.get(SESSION_KEY)))).toMatchObject({ token: fresh })
  })
})
