import { describe, expect, it } from 'vitest'
import { logLines, startHost } from './support'

const TIMEOUT_MS = 10_000 // the demo's LOGIN_TIMEOUT_MS default

describe('wx.login never calls back', () => {
  it('pending requests fail with LOGIN_TIMEOUT at the deadline, not before', async () => {
    const host = startHost({ behaviour: { login: 'hang' } })
    const page = host.launch()
    page.tap('load')
    const failures: unknown[] = []
    host.uni.request({ url: '/me', fail: (error: unknown) => failures.push(error) })

    await host.advance(TIMEOUT_MS - 1)
    expect(failures).toEqual([])
    expect(logLines(host)).toEqual([])
    expect(page.text('status')).toBe('status: logging-in')

    await host.advance(1)
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatchObject({ name: 'AuthError', code: 'LOGIN_TIMEOUT' })
    expect(String((failures[0] as { errMsg?: unknown }).errMsg)).toMatch(/^uni-mp-auth:fail LOGIN_TIMEOUT/)
    // The onLoad request and the tapped one: both failed, once each.
    const lines = logLines(host)
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(line).toMatch(/^GET \/me → uni-mp-auth:fail LOGIN_TIMEOUT /)
    expect(page.text('status')).toBe('status: failed')
    expect(page.text('error')).toBe('error: LOGIN_TIMEOUT')

    expect(host.fake.calls.count('login')).toBe(1)
    expect(host.fake.calls.count('request')).toBe(0) // no exchange, and no request without a token
  })
})
