import { describe, expect, it } from 'vitest'
import { authOf, bearer, callsTo, launchAndLoad, logLines, startHost } from './support'

describe('a late 401 for a token already replaced', () => {
  it('is replayed with the current token without another login (generation-aware recovery)', async () => {
    const host = startHost()
    await launchAndLoad(host)
    const old = host.backend.issued[0]!.token
    host.backend.revoke(old)

    // A slow request goes out with the old token; its 401 arrives only after a relogin finished.
    host.fake.behaviour.latency.request = 300
    const statuses: number[] = []
    host.uni.request({ url: '/me', success: (res: { statusCode: number }) => statuses.push(res.statusCode) })
    host.fake.behaviour.latency.request = 5
    host.page.tap('relogin')
    await host.until(() => logLines(host)[0] === 'relogin → ok', { what: 'relogin' })
    expect(statuses).toEqual([])

    await host.until(() => statuses.length > 0, { what: 'the slow request' })
    await host.advance(100)
    expect(statuses).toEqual([200])
    expect(host.fake.calls.count('login')).toBe(2) // cold start + the button, nothing for the late 401
    expect(callsTo(host, '/auth/refresh')).toHaveLength(0)
    expect(host.backend.issued).toHaveLength(2)
    expect(callsTo(host, '/me').map(authOf)).toEqual([bearer(old), bearer(old), bearer(host.backend.issued[1]!.token)])
  })
})
