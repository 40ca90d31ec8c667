import { describe, expect, it } from 'vitest'
import { armFault } from '../helpers/harness.js'
import { DOUYIN_APPID, expectError, login, useAllTargets } from '../helpers/providers.js'

describe('mp-toutiao (Douyin jscode2session)', () => {
  const harness = useAllTargets()

  it('logs in with a tt.login code, one user per openid', async () => {
    const a = await login(harness(), { code: 'mock-tina.1', platform: 'mp-toutiao' })
    expect(a.statusCode, a.body).toBe(200)
    const b = await login(harness(), { code: 'mock-tina.2', platform: 'mp-toutiao', appId: DOUYIN_APPID })
    expect(b.json().user.id).toBe(a.json().user.id)
    expect(JSON.stringify(b.json())).not.toContain('mock_tt_')
  })

  it('an unknown code is PROVIDER_CODE_INVALID; a replayed one PROVIDER_CODE_USED without an upstream call', async () => {
    const message = expectError(await login(harness(), { code: 'never-issued', platform: 'mp-toutiao' }), 400, 'PROVIDER_CODE_INVALID')
    expect(message).toMatch(/tt\.login/)
    expect((await login(harness(), { code: 'mock-uma.1', platform: 'mp-toutiao' })).statusCode).toBe(200)
    const calls = (await harness().stats()).douyin_jscode2session
    expectError(await login(harness(), { code: 'mock-uma.1', platform: 'mp-toutiao' }), 400, 'PROVIDER_CODE_USED')
    expect((await harness().stats()).douyin_jscode2session).toBe(calls)
  })

  it('a code Douyin already spent is PROVIDER_CODE_INVALID (Douyin does not tell the two apart)', async () => {
    const { code } = harness().mock.state.mintLoginCode({ vendor: 'toutiao' })
    const entry = harness().mock.state.findLoginCode(code, 'toutiao')
    if (entry) entry.used = true
    expectError(await login(harness(), { code, platform: 'mp-toutiao' }), 400, 'PROVIDER_CODE_INVALID')
  })

  const faults = [
    { fault: { errcode: -1 }, status: 502, code: 'PROVIDER_UNAVAILABLE' },
    { fault: { errcode: 40017 }, status: 502, code: 'PROVIDER_ERROR' },
    { fault: { status: 500 }, status: 502, code: 'PROVIDER_UNAVAILABLE', message: /HTTP 500/ },
    { fault: { hang: true }, status: 502, code: 'PROVIDER_UNAVAILABLE', message: /timed out/ },
  ] as const

  it.each(faults)('upstream $fault → $status $code', async ({ fault, status, code, ...expected }) => {
    await armFault(harness(), { endpoint: 'douyin_jscode2session', ...fault })
    const loginCode = `mock-victor.${Math.random()}`
    const message = expectError(await login(harness(), { code: loginCode, platform: 'mp-toutiao' }), status, code)
    if ('message' in expected) expect(message).toMatch(expected.message)
    await fetch(`${harness().mockUrl}/__faults`, { method: 'DELETE' })
  })
})
