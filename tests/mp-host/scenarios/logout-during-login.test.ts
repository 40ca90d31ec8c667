import { describe, expect, it } from 'vitest'
import { callsTo, logLines, SESSION_KEY, startHost } from './support'

describe('logout while the first login is running', () => {
  it('wins: waiters fail with LOGGED_OUT, the late code is never exchanged, only the logged-out mark is stored', async () => {
    const host = startHost({ behaviour: { latency: { login: 200 } } })
    const page = host.launch()
    await host.advance(5)
    expect(page.text('status')).toBe('status: logging-in')
    page.tap('logout')
    await host.advance(500)

    expect(logLines(host)).toEqual(['GET /me → uni-mp-auth:fail LOGGED_OUT logged out during the login', 'logout'])
    expect(host.fake.calls.count('login')).toBe(1)
    expect(callsTo(host, '/auth/login')).toHaveLength(0)
    expect(host.fake.calls.count('request')).toBe(0)
    expect(JSON.parse(String(host.storage.get(SESSION_KEY)))).toEqual({ v: 2, loggedOut: true })
    expect(page.text('status')).toBe('status: logged-out')
    expect(page.text('token')).toBe('token: —')
  })
})
