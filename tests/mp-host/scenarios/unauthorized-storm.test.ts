import { describe, expect, it } from 'vitest'
import type { MpHost } from '../../../testkit/mp-host/index'
import { authOf, bearer, callsTo, launchAndLoad, logLines, startHost, waitForLog } from './support'

/** After a normal start, the backend stops accepting the current token (revoked / expired server-side). */
async function startThenRevoke(): Promise<{ host: MpHost; old: string }> {
  const host = startHost()
  await launchAndLoad(host)
  const old = host.backend.issued[0]!.token
  host.backend.revoke(old)
  return { host, old }
}

describe('401 storm', () => {
  it('50 rejected requests → one renewal (refresh token), each replayed once, all succeed', async () => {
    const { host, old } = await startThenRevoke()
    host.page.tap('burst')
    expect(await waitForLog(host, 'burst')).toBe('burst 50 → 50 ok, 0 failed')

    expect(callsTo(host, '/auth/refresh')).toHaveLength(1)
    expect(host.fake.calls.count('login')).toBe(1) // the cold start's only
    expect(callsTo(host, '/auth/login')).toHaveLength(1)
    expect(host.backend.issued).toHaveLength(2)
    const renewed = host.backend.issued[1]!.token
    const burst = callsTo(host, '/me').slice(1)
    expect(burst.filter((call) => authOf(call) === bearer(old))).toHaveLength(50)
    expect(burst.filter((call) => authOf(call) === bearer(renewed))).toHaveLength(50)
    expect(burst).toHaveLength(100)
    expect(host.page.text('token')).toBe(`token: …${renewed.slice(-8)}`)
    await host.advance(1000)
    expect(logLines(host).filter((line) => line.startsWith('burst'))).toHaveLength(1)
  })

  it('with the refresh token refused too → exactly one new wx.login and one exchange', async () => {
    const { host, old } = await startThenRevoke()
    host.backend.settings.refreshAllowed = false
    host.page.tap('burst')
    expect(await waitForLog(host, 'burst')).toBe('burst 50 → 50 ok, 0 failed')

    expect(callsTo(host, '/auth/refresh')).toHaveLength(1)
    expect(host.fake.calls.count('login')).toBe(2)
    expect(callsTo(host, '/auth/login')).toHaveLength(2)
    expect(host.backend.issued).toHaveLength(2)
    const renewed = host.backend.issued[1]!.token
    const burst = callsTo(host, '/me').slice(1)
    expect(burst.map(authOf).sort()).toEqual([...Array(50).fill(bearer(old)), ...Array(50).fill(bearer(renewed))].sort())
  })

  it("the app's own uni.request callers each hear exactly one outcome", async () => {
    const { host } = await startThenRevoke()
    const heard = Array.from({ length: 20 }, () => ({ success: [] as number[], fail: 0, complete: 0 }))
    heard.forEach((counter) =>
      host.uni.request({
        url: '/me',
        success: (res: { statusCode: number }) => counter.success.push(res.statusCode),
        fail: () => (counter.fail += 1),
        complete: () => (counter.complete += 1),
      }),
    )
    await host.until(() => heard.every((c) => c.complete > 0), { what: 'all 20 completions' })
    // Late duplicates would show up here.
    await host.advance(1000)

    expect(heard.map((c) => c.success)).toEqual(Array(20).fill([200]))
    expect(heard.map((c) => c.fail)).toEqual(Array(20).fill(0))
    expect(heard.map((c) => c.complete)).toEqual(Array(20).fill(1))
    expect(callsTo(host, '/me')).toHaveLength(1 + 40)
    expect(callsTo(host, '/auth/refresh')).toHaveLength(1)
  })
})
