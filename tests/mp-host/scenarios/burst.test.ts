import { describe, expect, it } from 'vitest'
import { authOf, bearer, callsTo, logLines, startHost, waitForLog } from './support'

describe('burst at cold start', () => {
  it('50 concurrent page requests during the first login: one login, all carry the token', async () => {
    // A slow wx.login keeps the login in flight while the burst is tapped.
    const host = startHost({ behaviour: { latency: { login: 200 } } })
    const page = host.launch()
    page.tap('burst')
    await host.advance(1)
    // The burst handler has run, yet nothing went out: every request waits for the one login.
    expect(host.fake.calls.count('login')).toBe(1)
    expect(host.fake.calls.count('request')).toBe(0)
    expect(page.text('status')).toBe('status: logging-in')

    expect(await waitForLog(host, 'burst')).toBe('burst 50 → 50 ok, 0 failed')
    await waitForLog(host, 'GET /me')

    expect(host.fake.calls.count('login')).toBe(1)
    expect(callsTo(host, '/auth/login')).toHaveLength(1)
    expect(host.backend.issued).toHaveLength(1)
    const me = callsTo(host, '/me')
    expect(me).toHaveLength(51) // the burst + the page's onLoad profile request
    expect(new Set(me.map(authOf))).toEqual(new Set([bearer(host.backend.issued[0]!.token)]))
    expect(logLines(host)).toHaveLength(2)
  })
})
