import { randomUUID } from 'node:crypto'
import { describe, expect, inject, it } from 'vitest'
import { type DemoPage, mockStats, openDemo, USER_ID, useBrowser, waitForText, withDemo } from './demo-page'
import { MOCK_OFFICIAL_ACCOUNT } from './env'

const env = inject('e2e')
const browser = useBrowser(env)

/** The mock remembers the authorize page's last user in this cookie (as WeChat knows who is signed in). */
const USER_COOKIE = 'mock_wechat_user'
const AUTHORIZE = '/connect/oauth2/authorize'

/** Codes the backend traded at the mock's `sns/oauth2/access_token` so far (this run). */
async function oauthExchanges(): Promise<number> {
  return (await mockStats(env)).oauth2_access_token ?? 0
}

/** The trips through the mock's authorize page: where the page sent the browser, and where the mock sent it back. */
interface Trips {
  visits: URL[]
  returns: URL[]
}

/** Watches the authorize page (set up before the first navigation). */
function watchAuthorize(demo: DemoPage): Trips {
  const trips: Trips = { visits: [], returns: [] }
  demo.page.on('response', (response) => {
    const url = new URL(response.url())
    if (url.origin !== env.mockUrl || url.pathname !== AUTHORIZE) return
    trips.visits.push(url)
    const location = response.headers().location
    if (location) trips.returns.push(new URL(location))
  })
  return trips
}

/** The demo's OAuth build in a fresh tab whose (mock) WeChat is signed in as `mockUser`. */
async function openOAuthDemo(mockUser: string): Promise<{ demo: DemoPage; trips: Trips }> {
  const demo = await openDemo(browser(), env, { goto: false, webUrl: env.oauthWebUrl })
  await demo.context.addCookies([{ name: USER_COOKIE, value: mockUser, url: env.mockUrl }])
  return { demo, trips: watchAuthorize(demo) }
}

function loginBody(demo: DemoPage, index: number): Record<string, unknown> {
  return JSON.parse(demo.apiCalls('POST', '/auth/login')[index]?.body ?? 'null') as Record<string, unknown>
}

function loginToken(demo: DemoPage): string {
  const token = (demo.apiCalls('POST', '/auth/login').at(-1)?.json as { token?: unknown } | undefined)?.token
  if (typeof token !== 'string') throw new Error('the page never received a token')
  return token
}

/** `GET /me` with `token`: the user id the backend says the session belongs to. */
async function userIdOf(token: string): Promise<string> {
  const response = await fetch(`${env.apiUrl}/me`, { headers: { authorization: `Bearer ${token}` } })
  expect(response.status).toBe(200)
  return ((await response.json()) as { user: { id: string } }).user.id
}

/**
 * The mini-program's login as the compiled app sends it: a `wx.login` code (the mock's `mock-<name>`
 * codes stand for that person's code) with `platform: 'mp-weixin'`.
 */
async function miniProgramLogin(mockUser: string): Promise<string> {
  const response = await fetch(`${env.apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: `mock-${mockUser}.${randomUUID()}`, platform: 'mp-weixin' }),
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as { token: string }).token
}

/** The address bar carries no `code` or `state` (neither before nor after the `#`). */
function expectCleanAddress(demo: DemoPage): void {
  const url = new URL(demo.page.url())
  expect(url.origin).toBe(env.oauthWebUrl)
  expect([...url.searchParams.keys()]).not.toContain('code')
  expect([...url.searchParams.keys()]).not.toContain('state')
  expect(url.hash).not.toMatch(/[?&](code|state)=/)
}

describe('the H5 demo through the mock WeChat OAuth page, against the real backend', () => {
  it('redirects to the authorize page, logs in with the code it brings back, cleans the address, and a reload never trades the code again', async () => {
    const before = await oauthExchanges()
    const { demo, trips } = await openOAuthDemo('oauth_alice')
    try {
      await demo.page.goto(env.oauthWebUrl)
      await waitForText(demo, '#status', 'status: authenticated')
      const userLine = await waitForText(demo, '#user', USER_ID)
      await demo.settle()

      // One trip: the demo asked for the official account's silent scope with a random state…
      expect(trips.visits).toHaveLength(1)
      const asked = trips.visits[0] as URL
      expect(asked.searchParams.get('appid')).toBe(MOCK_OFFICIAL_ACCOUNT.appId)
      expect(asked.searchParams.get('scope')).toBe('snsapi_base')
      expect(asked.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/)
      expect(new URL(asked.searchParams.get('redirect_uri') ?? '').origin).toBe(env.oauthWebUrl)
      // …and the mock sent it back to the demo with a code and that state.
      const back = trips.returns[0] as URL
      expect(back.origin).toBe(env.oauthWebUrl)
      expect(back.searchParams.get('state')).toBe(asked.searchParams.get('state'))
      const code = back.searchParams.get('code')
      expect(code).toMatch(/^oauth-/)

      // That code, and only that one, went to the backend as an h5-weixin login, which traded it once.
      expect(demo.apiCalls('POST', '/auth/login').map((call) => call.status)).toEqual([200])
      expect(loginBody(demo, 0)).toEqual({ code, platform: 'h5-weixin', appId: MOCK_OFFICIAL_ACCOUNT.appId })
      expect(await oauthExchanges()).toBe(before + 1)
      expectCleanAddress(demo)
      expect(demo.page.url()).not.toContain(code)
      await demo.screenshot('10-wechat-oauth-login')

      // A reload restores the session: no new trip to WeChat, no login, no second exchange.
      const mark = demo.calls.length
      await demo.page.reload()
      await waitForText(demo, '#status', 'status: authenticated')
      expect(await waitForText(demo, '#user', USER_ID)).toBe(userLine)
      await demo.settle()
      expect(demo.apiCalls('GET', '/me', mark).map((call) => call.status)).toEqual([200])
      expect(demo.apiCalls('POST', '/auth/login')).toHaveLength(1)
      expect(trips.visits).toHaveLength(1)
      expect(await oauthExchanges()).toBe(before + 1)
      expectCleanAddress(demo)
    } finally {
      await demo.close()
    }
  })

  it('refuses a link whose state this tab never sent: a typed error on the page, no exchange, no redirect', async () => {
    const before = await oauthExchanges()
    const { demo, trips } = await openOAuthDemo('oauth_mallory')
    try {
      // A code the mock would accept for the official account: only the state check keeps it out.
      await demo.page.goto(`${env.oauthWebUrl}/?code=mock-oauth_mallory.${randomUUID()}&state=forged#/`)
      // Whichever way the start-up login ends, say so at once (a refused link has no session to wait for).
      expect(await waitForText(demo, '#status', /status: (failed|authenticated)/)).toBe('status: failed')
      expect(await demo.text('#error')).toBe('error: LOGIN_PLATFORM_FAILED')
      expect(await demo.text('#logged-in')).toBe('not logged in')
      expectCleanAddress(demo)
      await demo.screenshot('11-wechat-oauth-forged-state')

      // Asking again (the page's "Log in") ends in the same error, not in a trip to WeChat and back.
      await demo.page.click('#relogin')
      await expect.poll(() => demo.log()).toContain('relogin → LOGIN_PLATFORM_FAILED')
      await demo.settle()
      expect(trips.visits).toEqual([])
      expect(demo.apiCalls('POST', '/auth/login')).toEqual([])
      expect(await oauthExchanges()).toBe(before)
    } finally {
      await demo.close()
    }
  })

  it('one person on mp-weixin and on H5 (one unionid) is one user; another person is another user', async () => {
    const miniProgram = await userIdOf(await miniProgramLogin('uni_alice'))

    let h5 = ''
    await withDemo(
      browser(),
      env,
      async (demo) => {
        await demo.context.addCookies([{ name: USER_COOKIE, value: 'uni_alice', url: env.mockUrl }])
        await demo.page.goto(env.oauthWebUrl)
        await waitForText(demo, '#status', 'status: authenticated')
        await demo.settle()
        expect(loginBody(demo, 0)).toMatchObject({ platform: 'h5-weixin' })
        h5 = await userIdOf(loginToken(demo))
        expect(await demo.text('#user')).toBe(`user: ${h5}`)
      },
      { goto: false, webUrl: env.oauthWebUrl },
    )

    expect(h5).toBe(miniProgram)
    expect(await userIdOf(await miniProgramLogin('uni_bob'))).not.toBe(h5)
  })
})
