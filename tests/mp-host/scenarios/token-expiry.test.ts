import { describe, expect, it } from 'vitest'
import { createFakeBackend } from '../../../testkit/mp-host/index'
import { authOf, bearer, callsTo, launchAndLoad, logLines, startHost } from './support'

describe('a token close to its expiry', () => {
  it('is renewed with the refresh token before the request goes out (no 401, no wx.login)', async () => {
    // 60 s tokens: the plugin renews from half-way (its 30 s skew), so at 31 s the token is not sent.
    const host = startHost({ backend: createFakeBackend({ settings: { tokenLifetimeS: 60 } }) })
    await launchAndLoad(host)
    const old = host.backend.issued[0]!.token

    await host.advance(29_000)
    host.page.tap('load')
    await host.until(() => logLines(host).length === 2, { what: 'GET /me at 29 s' })
    expect(callsTo(host, '/auth/refresh')).toHaveLength(0)

    await host.advance(2_000)
    host.page.tap('load')
    await host.until(() => logLines(host).length === 3, { what: 'GET /me at 31 s' })

    expect(callsTo(host, '/auth/refresh')).toHaveLength(1)
    expect(host.fake.calls.count('login')).toBe(1)
    const renewed = host.backend.issued[1]!.token
    expect(callsTo(host, '/me').map(authOf)).toEqual([bearer(old), bearer(old), bearer(renewed)])
    expect(logLines(host)).toEqual(['GET /me → 200', 'GET /me → 200', 'GET /me → 200'])
  })
})
