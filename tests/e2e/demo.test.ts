import { describe, expect, inject, it } from 'vitest'
import { backendCalls, useBrowser, type DemoPage, mockStats, openDemo, USER_ID, waitForText, withDemo } from './demo-page'
import './env'

const env = inject('e2e')
const browser = useBrowser(env)

interface Grant {
  token: string
  refreshToken: string
}

function isGrant(value: unknown): value is Grant {
  return typeof (value as Grant | undefined)?.token === 'string' && typeof (value as Grant).refreshToken === 'string'
}

/** The latest token pair the backend handed to the page (login or refresh answer). */
function latestGrant(demo: DemoPage): Grant {
  const grants = demo.calls
    .filter((call) => call.target === 'api' && (call.path === '/auth/login' || call.path === '/auth/refresh'))
    .map((call) => call.json)
    .filter(isGrant)
  const grant = grants.at(-1)
  if (!grant) throw new Error('the page never received a token')
  return grant
}

async function storageValues(demo: DemoPage): Promise<string> {
  return demo.page.evaluate(() => Object.values(localStorage).join('\n'))
}

describe('the H5 demo in chromium', () => {
  it('logs in silently, survives an expired token with one renewal and one replay, and logs out', async () => {
    await withDemo(browser(), env, async (demo) => {
      // 1. Cold start: the page shows the session without any tap.
      await waitForText(demo, '#status', 'status: authenticated')
      const userLine = await waitForText(demo, '#user', USER_ID)
      expect(await demo.text('#logged-in')).toBe('logged in')
      await expect.poll(() => demo.log()).toEqual(['GET /me → 200'])
      await demo.settle()
      expect(demo.apiCalls('POST', '/auth/login').map((c) => c.status)).toEqual([200])
      expect(demo.apiCalls('POST', '/auth/refresh')).toEqual([])
      expect(demo.apiCalls('GET', '/me').map((c) => c.status)).toEqual([200])
      const first = latestGrant(demo)
      expect(demo.apiCalls('GET', '/me')[0]?.authorization).toBe(`Bearer ${first.token}`)
      expect(await storageValues(demo)).toContain(first.token)
      await demo.screenshot('01-silent-login')

      // 2. The backend expires every token; "Load profile" still works: 401 → one renewal → replay.
      const expired = await fetch(`${env.apiUrl}/dev/expire-tokens`, { method: 'POST' })
      expect(expired.status).toBe(204)
      const mark = demo.calls.length
      await demo.page.click('#load')
      await expect.poll(() => demo.log()).toEqual(['GET /me → 200', 'GET /me → 200'])
      await demo.settle()
      const me = demo.apiCalls('GET', '/me', mark)
      expect(me.map((c) => c.status)).toEqual([401, 200])
      const renewals = [...demo.apiCalls('POST', '/auth/login', mark), ...demo.apiCalls('POST', '/auth/refresh', mark)]
      expect(renewals.map((c) => `${c.path} ${c.status}`)).toHaveLength(1)
      expect(renewals[0]?.status).toBe(200)
      console.log(`[e2e] the plugin renewed with ${renewals[0]?.path}`)
      const second = latestGrant(demo)
      expect(second.token).not.toBe(first.token)
      expect(me[0]?.authorization).toBe(`Bearer ${first.token}`)
      expect(me[1]?.authorization).toBe(`Bearer ${second.token}`)
      // Same person, same user; the page shows the new token's tail.
      expect(await demo.text('#user')).toBe(userLine)
      expect(await demo.text('#token')).toBe(`token: …${second.token.slice(-8)}`)
      await demo.screenshot('02-after-expiry-replay')

      // 3. Logout: the page says so, storage forgets the tokens, the backend revokes them.
      const before = (await backendCalls(env)).length
      await demo.page.click('#logout')
      await waitForText(demo, '#logged-in', 'not logged in')
      expect(await demo.text('#token')).toBe('token: —')
      expect(await demo.text('#user')).toBe('user: —')
      const stored = await storageValues(demo)
      expect(stored).not.toContain(second.token)
      expect(stored).not.toContain(second.refreshToken)
      await expect
        .poll(async () => (await backendCalls(env)).slice(before).filter((c) => c.method === 'POST' && c.path === '/auth/logout'))
        .toEqual([{ method: 'POST', path: '/auth/logout', status: 204 }])
      // The revoked refresh token is dead for good.
      const reuse = await fetch(`${env.apiUrl}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: second.refreshToken }),
      })
      expect(reuse.status).toBe(401)
      await demo.screenshot('03-logged-out')
    })
  })

  it('"Burst ×50" at cold start: one login for all fifty requests', async () => {
    // Slow WeChat down so the taps land while the cold-start login is still in flight.
    const fault = await fetch(`${env.mockUrl}/__faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'jscode2session', latencyMs: 1500 }),
    })
    expect(fault.status).toBe(204)
    const wechatBefore = (await mockStats(env)).jscode2session ?? 0
    const demo = await openDemo(browser(), env)
    try {
      await demo.page.locator('#burst').waitFor()
      const tappedAt = Date.now()
      await demo.page.click('#burst')
      await expect.poll(() => demo.log(), { timeout: 15_000 }).toContain('burst 50 → 50 ok, 0 failed')
      await waitForText(demo, '#status', 'status: authenticated')
      await demo.settle()

      const logins = demo.apiCalls('POST', '/auth/login')
      expect(logins.map((c) => c.status)).toEqual([200])
      expect(demo.apiCalls('POST', '/auth/refresh')).toEqual([])
      expect(demo.calls.filter((c) => c.target === 'mock' && c.path === '/dev/code')).toHaveLength(1)
      expect(((await mockStats(env)).jscode2session ?? 0) - wechatBefore).toBe(1)
      // The burst really was queued behind the login, not sent after it.
      expect(logins[0]?.answeredAt).toBeGreaterThan(tappedAt)
      // 50 from the burst + 1 from the page's own onLoad, all with the one token.
      const me = demo.apiCalls('GET', '/me')
      expect(me).toHaveLength(51)
      expect(new Set(me.map((c) => c.status))).toEqual(new Set([200]))
      expect(new Set(me.map((c) => c.authorization))).toEqual(new Set([`Bearer ${latestGrant(demo).token}`]))
      await demo.screenshot('04-burst-cold-start')

      // The timeline tells the same story: one login bar, fifty burst bars hanging from it.
      const timeline = demo.page.locator('#timeline')
      const burstBars = timeline.locator('.timeline-request[data-url*="via=burst-"]')
      await expect.poll(() => burstBars.count()).toBe(50)
      expect(await timeline.locator('.timeline-login').count()).toBe(1)
      expect(await timeline.locator('.timeline-login').first().getAttribute('data-reason')).toBe('cold-start')
      expect(new Set(await burstBars.evaluateAll((bars) => bars.map((bar) => bar.getAttribute('data-waited-on'))))).toEqual(new Set(['1']))
      // Tall enough for the whole timeline without scrolling under the fixed bars.
      await demo.page.setViewportSize({ width: 420, height: 2400 })
      await timeline.screenshot({ path: `${env.screenshotDir}/05-timeline-burst.png` })
      // Its top, as shown in the README: the login bar and the first requests hanging from it.
      const box = await timeline.boundingBox()
      if (box) await demo.page.screenshot({ path: `${env.screenshotDir}/05-timeline-burst-top.png`, clip: { ...box, height: 420 } })
    } finally {
      await fetch(`${env.mockUrl}/__faults`, { method: 'DELETE' })
      await demo.close()
    }
  })

  it('"Upload avatar" with an expired token: uni.uploadFile is replayed once and the backend counts the bytes', async () => {
    await withDemo(browser(), env, async (demo) => {
      await waitForText(demo, '#status', 'status: authenticated')
      await expect.poll(() => demo.log()).toEqual(['GET /me → 200'])
      expect((await fetch(`${env.apiUrl}/dev/expire-tokens`, { method: 'POST' })).status).toBe(204)
      const mark = demo.calls.length
      const image = Buffer.from(`\x89PNG\r\n\x1a\n${'pixels '.repeat(300)}`, 'binary')
      const chooser = demo.page.waitForEvent('filechooser')
      await demo.page.click('#upload')
      await (await chooser).setFiles({ name: 'avatar.png', mimeType: 'image/png', buffer: image })
      await expect.poll(() => demo.log()).toEqual(['upload → 200', 'GET /me → 200'])
      await demo.settle()
      const uploads = demo.apiCalls('POST', '/me/avatar', mark)
      expect(uploads.map((c) => c.status)).toEqual([401, 200])
      expect(uploads[1]?.json).toEqual({ bytes: image.length })
      const renewals = [...demo.apiCalls('POST', '/auth/login', mark), ...demo.apiCalls('POST', '/auth/refresh', mark)]
      expect(renewals).toHaveLength(1)
      await demo.screenshot('05-upload-after-expiry')
    })
  })

  it('"Bind phone" binds the number with the current token and never logs in again', async () => {
    await withDemo(browser(), env, async (demo) => {
      await waitForText(demo, '#status', 'status: authenticated')
      const mark = demo.calls.length
      await demo.page.click('#phone-button')
      await expect.poll(() => demo.text('#phone')).toMatch(/^phone: \d{3}\*{4}\d{4}$/)
      await demo.settle()
      const binds = demo.apiCalls('POST', '/auth/phone', mark)
      expect(binds.map((c) => c.status)).toEqual([200])
      expect(binds[0]?.authorization).toMatch(/^Bearer /)
      expect(demo.apiCalls('POST', '/auth/login', mark)).toHaveLength(0)
      await demo.screenshot('06-phone-bound')
    })
  })
})
