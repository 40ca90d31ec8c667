import { describe, expect, it } from 'vitest'
import { armFault } from '../helpers/harness.js'
import { expectError, login, QQ_APPID, QQ_SECRET, useAllTargets } from '../helpers/providers.js'

const QQ_APPID_2 = '1109000002'
const QQ_SECRET_2 = 'qq-secret-two-0123456789'

describe('mp-qq (QQ jscode2session)', () => {
  const harness = useAllTargets({
    env: { QQ_APPID: `${QQ_APPID},${QQ_APPID_2}`, QQ_SECRET: `${QQ_SECRET},${QQ_SECRET_2}` },
    mock: {
      qqApps: [
        { appId: QQ_APPID, secret: QQ_SECRET },
        { appId: QQ_APPID_2, secret: QQ_SECRET_2 },
      ],
    },
  })

  it('logs in with a qq.login code, one user per openid, apart from the WeChat user of the same code string', async () => {
    const a = await login(harness(), { code: 'mock-quinn.1', platform: 'mp-qq' })
    expect(a.statusCode, a.body).toBe(200)
    const b = await login(harness(), { code: 'mock-quinn.2', platform: 'mp-qq', appId: QQ_APPID })
    expect(b.json().user.id).toBe(a.json().user.id)
    expect(JSON.stringify(b.json())).not.toContain('mock_qq_')
    const wechat = await login(harness(), { code: 'mock-quinn.3' })
    expect(wechat.json().user.id).not.toBe(a.json().user.id)
    const identities = await harness().inject({
      method: 'GET',
      url: '/me/identities',
      headers: { authorization: `Bearer ${a.json().token}` },
    })
    expect(identities.json().identities).toEqual([{ provider: 'qq', platform: 'mp-qq', appId: QQ_APPID, createdAt: expect.any(String) }])
  })

  it('joins two QQ apps of one person by unionid, in the qq namespace only', async () => {
    const mint = (openid: string) => harness().mock.state.mintLoginCode({ vendor: 'qq', openid, unionid: 'qq-union-1' }).code
    const qq = await login(harness(), { code: mint('qq-open-1'), platform: 'mp-qq' })
    expect(qq.statusCode, qq.body).toBe(200)
    const otherApp = await login(harness(), { code: mint('qq-open-2'), platform: 'mp-qq', appId: QQ_APPID_2 })
    expect(otherApp.statusCode, otherApp.body).toBe(200)
    expect(otherApp.json().user.id).toBe(qq.json().user.id)
    const sameUnionOnWechat = harness().mock.state.mintLoginCode({ openid: 'o-wx-union', unionid: 'qq-union-1' })
    const wechat = await login(harness(), { code: sameUnionOnWechat.code })
    expect(wechat.json().user.id).not.toBe(qq.json().user.id)
  })

  it('an unknown code is PROVIDER_CODE_INVALID; one QQ already spent PROVIDER_CODE_USED', async () => {
    const message = expectError(await login(harness(), { code: 'never-issued', platform: 'mp-qq' }), 400, 'PROVIDER_CODE_INVALID')
    expect(message).toMatch(/qq\.login/)
    const { code } = harness().mock.state.mintLoginCode({ vendor: 'qq' })
    const entry = harness().mock.state.findLoginCode(code, 'qq')
    if (entry) entry.used = true
    expect(expectError(await login(harness(), { code, platform: 'mp-qq' }), 400, 'PROVIDER_CODE_USED')).toMatch(/qq\.login again/)
  })

  const faults = [
    { fault: { errcode: -1 }, status: 502, code: 'PROVIDER_UNAVAILABLE', message: /QQ is busy/ },
    { fault: { errcode: 45011 }, status: 429, code: 'PROVIDER_RATE_LIMITED', message: /QQ rate limit/ },
    { fault: { errcode: 40125 }, status: 502, code: 'PROVIDER_ERROR', message: /^QQ refused the exchange \(errcode 40125\)$/ },
    { fault: { status: 500 }, status: 502, code: 'PROVIDER_UNAVAILABLE', message: /^QQ jscode2session answered HTTP 500$/ },
    { fault: { hang: true }, status: 502, code: 'PROVIDER_UNAVAILABLE', message: /^QQ jscode2session timed out$/ },
  ] as const

  it.each(faults)('upstream $fault → $status $code', async ({ fault, status, code, message }) => {
    await armFault(harness(), { endpoint: 'qq_jscode2session', ...fault })
    expect(expectError(await login(harness(), { code: `mock-victor.${Math.random()}`, platform: 'mp-qq' }), status, code)).toMatch(message)
    await fetch(`${harness().mockUrl}/__faults`, { method: 'DELETE' })
  })
})
