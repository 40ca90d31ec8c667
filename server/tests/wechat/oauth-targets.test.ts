import { describe, expect, it } from 'vitest'
import { armFault, type Harness, TEST_APPID } from '../helpers/harness.js'
import { APP_APPID, expectError, H5_APPID, H5_APPID_2, login, WEB_APPID, useAllTargets } from '../helpers/providers.js'

/** Walks the mock authorize page as a browser would and returns the code and state it redirected with. */
async function authorize(harness: Harness, appId: string, user: string, state = 'st-1'): Promise<{ code: string; state: string | null }> {
  const query = new URLSearchParams({
    appid: appId,
    redirect_uri: 'https://shop.example/pages/login?from=menu',
    response_type: 'code',
    scope: 'snsapi_base',
    state,
    mock_user: user,
  })
  const response = await fetch(`${harness.mockUrl}/connect/oauth2/authorize?${query}`, { redirect: 'manual' })
  expect(response.status).toBe(302)
  const target = new URL(response.headers.get('location') ?? '')
  expect(`${target.origin}${target.pathname}`).toBe('https://shop.example/pages/login')
  expect(target.searchParams.get('from')).toBe('menu')
  return { code: target.searchParams.get('code') ?? '', state: target.searchParams.get('state') }
}

describe('WeChat targets besides the mini-program (sns/oauth2/access_token)', () => {
  const harness = useAllTargets({ mock: { sharedUnionid: true } })

  it('h5-weixin: a code from the authorize page logs in, one user per person and AppID', async () => {
    const first = await authorize(harness(), H5_APPID, 'alice')
    expect(first.state).toBe('st-1')
    const a = await login(harness(), { code: first.code, platform: 'h5-weixin' })
    expect(a.statusCode, a.body).toBe(200)
    const again = await login(harness(), { code: (await authorize(harness(), H5_APPID, 'alice')).code, platform: 'h5-weixin' })
    expect(again.json().user.id).toBe(a.json().user.id)
    const bob = await login(harness(), { code: (await authorize(harness(), H5_APPID, 'bob')).code, platform: 'h5-weixin' })
    expect(bob.json().user.id).not.toBe(a.json().user.id)
  })

  it('h5-weixin with a second AppID named in the login', async () => {
    const { code } = await authorize(harness(), H5_APPID_2, 'dora')
    expect((await login(harness(), { code, platform: 'h5-weixin', appId: H5_APPID_2 })).statusCode).toBe(200)
  })

  it('refuses a code issued for another AppID as WX_CODE_INVALID', async () => {
    const { code } = await authorize(harness(), H5_APPID_2, 'erin')
    expectError(await login(harness(), { code, platform: 'h5-weixin', appId: H5_APPID }), 400, 'WX_CODE_INVALID')
  })

  it('app-weixin and web-weixin exchange with their own credentials', async () => {
    const app = await login(harness(), { code: 'mock-frank.app', platform: 'app-weixin' })
    expect(app.statusCode, app.body).toBe(200)
    const web = await login(harness(), { code: 'mock-frank.web', platform: 'web-weixin', appId: WEB_APPID })
    expect(web.statusCode, web.body).toBe(200)
    expect((await harness().stats()).oauth2_access_token).toBeGreaterThanOrEqual(2)
    expect(APP_APPID).not.toBe(WEB_APPID)
  })

  it('one unionid joins the mini-program and H5 identities of one person into one user', async () => {
    const mini = await login(harness(), { code: 'mock-grace.1' })
    const h5 = await login(harness(), { code: (await authorize(harness(), H5_APPID, 'grace')).code, platform: 'h5-weixin' })
    expect(mini.statusCode).toBe(200)
    expect(h5.json().user.id).toBe(mini.json().user.id)
  })

  it('a replayed code is WX_CODE_USED without a second upstream call', async () => {
    const { code } = await authorize(harness(), H5_APPID, 'heidi')
    expect((await login(harness(), { code, platform: 'h5-weixin' })).statusCode).toBe(200)
    const calls = (await harness().stats()).oauth2_access_token
    const message = expectError(await login(harness(), { code, platform: 'h5-weixin' }), 400, 'WX_CODE_USED')
    expect(message).toMatch(/authorization again/)
    expect((await harness().stats()).oauth2_access_token).toBe(calls)
  })

  it('an unknown code is WX_CODE_INVALID, telling H5 to authorize again', async () => {
    const message = expectError(await login(harness(), { code: 'never-issued', platform: 'h5-weixin' }), 400, 'WX_CODE_INVALID')
    expect(message).toMatch(/start the WeChat authorization again/)
  })

  const faults = [
    { fault: { errcode: 40163 }, status: 400, code: 'WX_CODE_USED' },
    { fault: { errcode: 45011 }, status: 429, code: 'WX_RATE_LIMITED' },
    { fault: { errcode: -1 }, status: 503, code: 'WX_BUSY' },
    { fault: { status: 500 }, status: 502, code: 'WX_UNAVAILABLE' },
    { fault: { hang: true }, status: 502, code: 'WX_UNAVAILABLE' },
  ] as const

  it.each(faults)('upstream $fault → $status $code', async ({ fault, status, code }) => {
    await armFault(harness(), { endpoint: 'oauth2_access_token', ...fault })
    const { code: loginCode } = await authorize(harness(), H5_APPID, 'ivan')
    expectError(await login(harness(), { code: loginCode, platform: 'h5-weixin' }), status, code)
  })

  it('mp-weixin stays the default target and its session_key is kept for phone binding', async () => {
    const { code, openid } = harness().mock.state.mintLoginCode({ openid: 'o-keeps-key' })
    expect((await login(harness(), { code, platform: 'mp-weixin', appId: TEST_APPID })).statusCode).toBe(200)
    const stored = await harness().app.uniMpAuth.store.getSessionKey({ provider: 'weixin', appId: TEST_APPID, subject: openid })
    expect(harness().mock.state.issuedSessionKeys.has(stored ?? '')).toBe(true)
  })
})

describe('the mock authorize page', () => {
  const harness = useAllTargets({ mock: { oauthDefaultUser: undefined } })
  const base = () => `${harness().mockUrl}/connect/oauth2/authorize`
  const query = (extra: Record<string, string> = {}) =>
    new URLSearchParams({ appid: H5_APPID, redirect_uri: 'http://localhost:5173/', response_type: 'code', scope: 'snsapi_base', ...extra })

  it('shows a user picker when no user is named, then remembers the choice in a cookie', async () => {
    const picker = await fetch(`${base()}?${query({ state: 'x' })}`, { redirect: 'manual' })
    expect(picker.status).toBe(200)
    expect(await picker.text()).toContain('mock_user=alice')
    const chosen = await fetch(`${base()}?${query({ state: 'x', mock_user: 'bob' })}`, { redirect: 'manual' })
    const cookie = chosen.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^mock_wechat_user=bob/)
    const remembered = await fetch(`${base()}?${query({ state: 'y' })}`, {
      redirect: 'manual',
      headers: { cookie: cookie.split(';')[0] ?? '' },
    })
    expect(remembered.status).toBe(302)
    const code = new URL(remembered.headers.get('location') ?? '').searchParams.get('code') ?? ''
    const bobAgain = new URL(chosen.headers.get('location') ?? '').searchParams.get('code') ?? ''
    const [first, second] = [
      await login(harness(), { code, platform: 'h5-weixin' }),
      await login(harness(), { code: bobAgain, platform: 'h5-weixin' }),
    ]
    expect(second.json().user.id).toBe(first.json().user.id)
  })

  it('refuses an unknown appid, a wrong scope or a relative redirect_uri with an error page', async () => {
    const cases: Record<string, string>[] = [{ appid: 'wx-unknown' }, { scope: 'snsapi_login' }, { redirect_uri: '/relative' }]
    for (const bad of cases) {
      const response = await fetch(`${base()}?${query({ mock_user: 'a', ...bad })}`, { redirect: 'manual' })
      expect(response.status, JSON.stringify(bad)).toBe(400)
    }
    const qr = await fetch(`${harness().mockUrl}/connect/qrconnect?${query({ scope: 'snsapi_login', mock_user: 'a' })}`, {
      redirect: 'manual',
    })
    expect(qr.status).toBe(302)
  })
})
