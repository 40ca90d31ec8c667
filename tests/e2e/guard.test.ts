import { describe, expect, inject, it } from 'vitest'
import { useBrowser, waitForText, withDemo } from './demo-page'
import './env'

const env = inject('e2e')
const browser = useBrowser(env)

/** The real tabBar uni-app renders on H5: a tap there never goes through uni.switchTab. */
const tab = (label: string) => `.uni-tabbar__label:text-is("${label}")`

describe('the navigation guard in the H5 demo', () => {
  it('the Orders tab opens for a logged-in user; after logout it shows the login page once, and Log in returns to it', async () => {
    await withDemo(browser(), env, async (demo) => {
      await waitForText(demo, '#status', 'status: authenticated')
      await demo.page.click(tab('Orders'))
      await waitForText(demo, '#orders-note', 'your orders')
      await demo.page.click(tab('Home'))
      await demo.page.click('#logout')
      await waitForText(demo, '#logged-in', 'not logged in')
      const logins = demo.apiCalls('POST', '/auth/login').length

      await demo.page.click(tab('Orders'))
      await waitForText(demo, '#login-status', 'status: logged-out')
      expect(demo.page.url()).toContain('pages/login/index')
      await demo.screenshot('06-guard-login-page')
      await demo.page.click('#login-button')
      await waitForText(demo, '#orders-note', 'your orders')
      expect(demo.page.url()).toContain('pages/orders/index')
      expect(demo.apiCalls('POST', '/auth/login')).toHaveLength(logins + 1)
    })
  })

  it('the wallet needs a bound phone: login page, Bind phone, then the wallet with its query', async () => {
    await withDemo(browser(), env, async (demo) => {
      await waitForText(demo, '#status', 'status: authenticated')
      await demo.page.click('#wallet')
      await waitForText(demo, '#login-user', 'logged in')
      expect(demo.page.url()).toContain('pages/login/index')
      await demo.page.click('#login-phone')
      await waitForText(demo, '#wallet-phone', /wallet of \d{3}\*{4}\d{4}/)
      expect(demo.page.url()).toContain('pages/wallet/index?from=home')
      expect(demo.apiCalls('POST', '/auth/login')).toHaveLength(1)
      await demo.screenshot('07-guard-wallet')
    })
  })

  it('a launch straight into the guarded tab with a query waits for the silent login and stays there', async () => {
    await withDemo(
      browser(),
      env,
      async (demo) => {
        await demo.page.goto(`${env.webUrl}/#/pages/orders/index?id=42`)
        await waitForText(demo, '#orders-note', 'your orders')
        expect(demo.page.url()).toContain('pages/orders/index?id=42')
        expect(demo.apiCalls('POST', '/auth/login')).toHaveLength(1)
      },
      { goto: false },
    )
  })
})
