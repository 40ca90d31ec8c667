import { describe, expect, it } from 'vitest'
import { authOf, bearer, callsTo, launchAndLoad, logLines, startHost } from './support'

describe('the relogin button', () => {
  it('three quick taps share one fresh wx.login; later requests carry the new token', async () => {
    const host = startHost({ behaviour: { latency: { login: 50 } } })
    await launchAndLoad(host)
    const old = host.backend.issued[0]!.token

    host.page.tap('relogin')
    host.page.tap('relogin')
    host.page.tap('relogin')
    await host.until(() => logLines(host).filter((line) => line.startsWith('relogin')).length === 3, { what: 'three relogin results' })

    expect(logLines(host).slice(0, 3)).toEqual(['relogin → ok', 'relogin → ok', 'relogin → ok'])
    expect(host.fake.calls.count('login')).toBe(2)
    expect(callsTo(host, '/auth/login')).toHaveLength(2)
    // A forced relogin asks WeChat for a new code; it neither checks the session nor uses the refresh token.
    expect(host.fake.calls.count('checkSession')).toBe(0)
    expect(callsTo(host, '/auth/refresh')).toHaveLength(0)
    const renewed = host.backend.issued[1]!.token

    host.page.tap('load')
    await host.until(() => logLines(host)[0]?.startsWith('GET /me') === true, { what: 'GET /me' })
    expect(callsTo(host, '/me').map(authOf)).toEqual([bearer(old), bearer(renewed)])
  })
})
