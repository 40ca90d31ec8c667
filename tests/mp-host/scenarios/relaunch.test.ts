import { describe, expect, it } from 'vitest'
import { createFakeBackend } from '../../../testkit/mp-host/index'
import { authOf, bearer, callsTo, launchAndLoad, logLines, SESSION_KEY, startHost } from './support'

/** A first run that logs in and stores its session, as on a real phone. */
async function firstRun() {
  const backend = createFakeBackend()
  const first = startHost({ backend })
  await launchAndLoad(first)
  expect(first.fake.calls.count('login')).toBe(1)
  first.dispose()
  return { backend, storage: first.storage, token: backend.issued[0]!.token }
}

describe('relaunch', () => {
  it('with a stored valid token and a live WeChat session: zero wx.login', async () => {
    const { backend, storage, token } = await firstRun()
    expect(JSON.parse(String(storage.get(SESSION_KEY)))).toMatchObject({ token })

    const host = startHost({ backend, storage })
    await launchAndLoad(host)

    expect(host.fake.calls.count('login')).toBe(0)
    expect(host.fake.calls.count('checkSession')).toBe(1)
    expect(callsTo(host, '/auth/login')).toHaveLength(0)
    expect(callsTo(host, '/auth/refresh')).toHaveLength(0)
    expect(callsTo(host, '/me').map(authOf)).toEqual([bearer(token)])
    expect(logLines(host)).toEqual(['GET /me → 200'])
    expect(host.page.text('user')).toBe('user: u1')

    // checkSession at most once per app run while it succeeds.
    host.page.tap('load')
    await host.until(() => logLines(host).length === 2, { what: 'second GET /me' })
    expect(host.fake.calls.count('checkSession')).toBe(1)
    expect(host.fake.calls.count('login')).toBe(0)
  })

  it('with checkSession failing: the first request keeps the stored token, one wx.login renews it for later ones', async () => {
    const { backend, storage, token } = await firstRun()

    const host = startHost({ backend, storage, behaviour: { checkSession: 'fail' } })
    await launchAndLoad(host)
    const stored = () => (JSON.parse(String(host.storage.get(SESSION_KEY))) as { token: string }).token
    await host.until(() => host.backend.issued.length === 2 && stored() === host.backend.issued[1]!.token, { what: 'the background login' })

    expect(host.fake.calls.count('checkSession')).toBe(1)
    expect(host.fake.calls.count('login')).toBe(1)
    expect(callsTo(host, '/auth/login')).toHaveLength(1)
    const renewed = host.backend.issued[1]!.token
    expect(renewed).not.toBe(token)
    host.page.tap('load')
    await host.until(() => logLines(host).length === 2, { what: 'second GET /me' })
    expect(callsTo(host, '/me').map(authOf)).toEqual([bearer(token), bearer(renewed)])
    expect(host.fake.calls.count('login')).toBe(1)
  })
})
