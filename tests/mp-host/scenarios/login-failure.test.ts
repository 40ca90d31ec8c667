import { describe, expect, it } from 'vitest'
import { logLines, startHost, waitForLog } from './support'

describe('wx.login failing', () => {
  it('fails requests with a typed error, backs off after repeated failures, recovers afterwards', async () => {
    const host = startHost({ behaviour: { login: 'fail' } })
    const page = host.launch()
    expect(await waitForLog(host, 'GET /me')).toBe(
      'GET /me → uni-mp-auth:fail LOGIN_PLATFORM_FAILED getting a login code failed: login:fail system error',
    )
    expect(page.text('error')).toBe('error: LOGIN_PLATFORM_FAILED')

    const outcomes: string[] = []
    const request = (tag: string) =>
      host.uni.request({
        url: '/me',
        success: (res: { statusCode: number }) => outcomes.push(`${tag} ${res.statusCode}`),
        fail: (error: { code?: string }) => outcomes.push(`${tag} ${String(error.code)}`),
      })
    request('a') // the first failure allows an immediate retry: it fails again
    await host.advance(50)
    request('b') // two failures in a row: automatic attempts pause for 1 s
    await host.advance(50)
    host.fake.behaviour.login = 'ok'
    request('c') // still inside the pause, even though WeChat would answer now
    await host.advance(1000)
    request('d')
    await host.until(() => outcomes.length === 4, { what: 'four outcomes' })

    expect(outcomes).toEqual(['a LOGIN_PLATFORM_FAILED', 'b LOGIN_BACKOFF', 'c LOGIN_BACKOFF', 'd 200'])
    expect(host.fake.calls.count('login')).toBe(3) // launch, a, d
    expect(page.text('status')).toBe('status: authenticated')
    expect(page.text('error')).toBeNull()
    expect(logLines(host)).toHaveLength(1)
  })
})
