import { describe, expect, it } from 'vitest'
import { launchAndLoad, navigations, onPage, ROUTES, startHost } from './support'

const { orders: ORDERS, wallet: WALLET, login: LOGIN } = ROUTES

describe('the guard in the compiled mini-program: entries without a navigation API', () => {
  it('the native tabBar: the Orders tab opens for a logged-in user; after logout the login page once, then back with switchTab', async () => {
    const host = startHost()
    await launchAndLoad(host)
    host.tapTab(ORDERS)
    await host.until(() => host.current.text('orders-note') === 'your orders', { what: 'the orders' })
    expect(navigations(host)).toEqual([])

    host.tapTab('pages/index/index')
    host.current.tap('logout')
    await host.advance(20)
    host.tapTab(ORDERS) // the tab page exists already: only its onShow runs
    await onPage(host, LOGIN)
    expect(navigations(host)).toEqual([`reLaunch /${LOGIN}`])

    host.current.tap('login-button')
    await onPage(host, ORDERS)
    await host.until(() => host.current.text('orders-note') === 'your orders', { what: 'the orders again' })
    // redirectTo refuses a tab page; the guard then uses switchTab.
    expect(navigations(host)).toEqual([`reLaunch /${LOGIN}`, `redirectTo /${ORDERS}`, `switchTab /${ORDERS}`])
    expect(host.fake.calls.count('login')).toBe(2)
    expect(host.stack).toEqual([ORDERS])
  })

  it('back into a guarded page after logout: the login page once, then the page again with its query', async () => {
    const host = startHost()
    await launchAndLoad(host)
    host.current.fire('phone-button', 'getphonenumber', { code: 'phone-1' })
    await host.until(() => host.current.text('phone') !== 'phone: —', { what: 'the bound phone' })
    host.current.tap('wallet')
    await onPage(host, WALLET)
    host.current.tap('wallet-help')
    await onPage(host, 'pages/help/index')
    host.current.tap('help-logout')
    await host.until(() => host.current.text('help-state') === 'not logged in', { what: 'the logout' })
    host.current.tap('help-back')
    await onPage(host, LOGIN)
    expect(host.stack).toEqual([LOGIN])

    // Logged in again, but the wallet also needs the phone: the login page stays until it is bound.
    host.current.tap('login-button')
    await host.until(() => host.current.text('login-note') === 'logged in', { what: 'the relogin' })
    expect(host.current.route).toBe(LOGIN)
    host.current.fire('login-phone', 'getphonenumber', { code: 'phone-2' })
    await onPage(host, WALLET)
    expect(host.stack).toEqual([`${WALLET}?from=home`])
    expect(host.fake.calls.count('login')).toBe(2)
  })

  it('a launch straight into a guarded page with a query waits for the launch login and stays, with its query', async () => {
    const host = startHost({ launchOptions: { path: ORDERS, query: { id: '42' } } })
    host.launch()
    await host.until(() => host.current.text('orders-note') === 'your orders', { what: 'the orders' })
    expect(host.stack).toEqual([`${ORDERS}?id=42`])
    expect(navigations(host)).toEqual([])
    expect(host.fake.calls.count('login')).toBe(1)
  })

  it('a launch from a share card into the wallet without a phone: the login page once, then the wallet with the card’s query', async () => {
    const host = startHost({ launchOptions: { path: WALLET, query: { from: 'share', id: '7' } } })
    host.launch()
    await onPage(host, LOGIN)
    host.current.fire('login-phone', 'getphonenumber', { code: 'phone-3' })
    await onPage(host, WALLET)
    expect(host.stack).toEqual([`${WALLET}?from=share&id=7`])
    expect(navigations(host)).toEqual([`reLaunch /${LOGIN}`, `redirectTo /${WALLET}?from=share&id=7`])
    expect(host.fake.calls.count('login')).toBe(1)
  })
})
