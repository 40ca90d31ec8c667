import { describe, expect, it } from 'vitest'
import { createFakeBackend, type MpHost } from '../../../testkit/mp-host/index'
import {
  authOf,
  bearer,
  callsTo,
  launchAndLoad,
  logLines,
  navigations,
  onPage,
  ROUTES,
  SESSION_KEY,
  startHost,
  waitForLog,
} from './support'

const { orders: ORDERS, wallet: WALLET, login: LOGIN } = ROUTES
const DIVERTED = 'navigateTo:fail redirected to login by uni-mp-auth guard'

/** Logs in at launch, then logs out on Home: the state every scenario here starts from. */
async function loggedOut(host: MpHost): Promise<void> {
  await launchAndLoad(host)
  host.page.tap('logout')
  await host.until(() => host.page.text('status') === 'status: logged-out', { what: 'the logout' })
  await host.advance(20)
}

// docs/ARCHITECTURE.md, invariant 9: after an explicit logout nothing logs the user in until the login action.
describe('sticky logout in the compiled mini-program', () => {
  it('a first native tap on a guarded tab whose onLoad calls ensureSession(): the login page once, no silent login', async () => {
    const host = startHost()
    await loggedOut(host)
    host.tapTab(ORDERS) // never opened in this run: its onLoad runs, and calls ensureSession()
    await onPage(host, LOGIN)
    await host.advance(50)
    expect(navigations(host)).toEqual([`reLaunch /${LOGIN}`])
    expect(host.fake.calls.count('login')).toBe(1)
    expect(callsTo(host, '/me')).toHaveLength(1)
    expect(host.stack).toEqual([LOGIN])

    host.current.tap('login-button') // the login action
    await onPage(host, ORDERS)
    await host.until(() => host.current.text('orders-note') === 'your orders', { what: 'the orders' })
    expect(host.fake.calls.count('login')).toBe(2)
    expect(navigations(host)).toEqual([`reLaunch /${LOGIN}`, `redirectTo /${ORDERS}`, `switchTab /${ORDERS}`])
  })

  it('a relaunch after logout stays logged out: zero wx.login, requests without a token, a share card into a guarded page gets the login page', async () => {
    const backend = createFakeBackend()
    const first = startHost({ backend })
    await loggedOut(first)
    expect(JSON.parse(String(first.storage.get(SESSION_KEY)))).toEqual({ v: 2, loggedOut: true })
    first.dispose()

    const again = startHost({ backend, storage: first.storage })
    await launchAndLoad(again)
    expect(again.page.text('status')).toBe('status: logged-out')
    expect(logLines(again)).toEqual(['GET /me → 401'])
    expect(callsTo(again, '/me').map(authOf)).toEqual([undefined])
    expect(again.fake.calls.count('login') + again.fake.calls.count('checkSession')).toBe(0)
    again.dispose()

    const card = startHost({ backend, storage: first.storage, launchOptions: { path: ORDERS, query: { id: '42' } } })
    card.launch()
    await onPage(card, LOGIN)
    await card.advance(50)
    expect(card.fake.calls.count('login')).toBe(0)
    card.current.tap('login-button')
    await onPage(card, ORDERS)
    await card.until(() => card.current.text('orders-note') === 'your orders', { what: 'the orders' })
    // Orders is a tab page: redirectTo refuses it and switchTab drops the query (a platform limit).
    expect(navigations(card)).toEqual([`reLaunch /${LOGIN}`, `redirectTo /${ORDERS}?id=42`, `switchTab /${ORDERS}`])
    expect(card.fake.calls.count('login')).toBe(1)
  })

  it('ensureSession() and three requests after logout: zero wx.login until the login action, then exactly one', async () => {
    const host = startHost()
    await loggedOut(host)
    host.page.tap('ensure')
    expect(await waitForLog(host, 'ensure')).toBe('ensure → LOGGED_OUT')
    for (let i = 0; i < 3; i++) host.page.tap('load')
    await host.until(() => logLines(host).filter((line) => line === 'GET /me → 401').length === 3, { what: 'three refused requests' })
    await host.advance(100)
    expect(host.fake.calls.count('login')).toBe(1) // the launch login only
    expect(callsTo(host, '/me').slice(1).map(authOf)).toEqual([undefined, undefined, undefined])

    host.page.tap('relogin')
    await waitForLog(host, 'relogin')
    expect(logLines(host)[0]).toBe('relogin → ok')
    host.page.tap('load')
    await host.until(() => logLines(host)[0] === 'GET /me → 200', { what: 'GET /me with the new token' })
    expect(host.fake.calls.count('login')).toBe(2)
    expect(authOf(callsTo(host, '/me').at(-1)!)).toBe(bearer(host.backend.issued.at(-1)!.token))
  })
})

describe('a navigation the guard holds settles once (compiled uni)', () => {
  type Heard = string[]
  const callbacks = (heard: Heard) => ({
    success: (r: { errMsg: string }) => heard.push(`success ${r.errMsg}`),
    fail: (r: { errMsg: string }) => heard.push(`fail ${r.errMsg}`),
    complete: (r: { errMsg: string }) => heard.push(`complete ${r.errMsg}`),
  })

  it('diverted to the login page: the callback form hears fail + complete, the promise form rejects', async () => {
    const host = startHost()
    await loggedOut(host)
    const heard: Heard = []
    host.uni.navigateTo!({ url: `/${ORDERS}?id=1`, ...callbacks(heard) } as never)
    await onPage(host, LOGIN)
    const promised = (host.uni.navigateTo!({ url: `/${ORDERS}?id=2` } as never) as Promise<unknown>).then(
      () => 'resolved',
      (error: { errMsg?: string }) => error.errMsg,
    )
    await host.advance(50)
    expect(heard).toEqual([`fail ${DIVERTED}`, `complete ${DIVERTED}`])
    expect(await promised).toBe(DIVERTED)
  })

  it('held for the launch login, then let through: the callback form hears success + complete, the promise form resolves', async () => {
    const host = startHost({ behaviour: { latency: { login: 200 } } })
    host.launch()
    const heard: Heard = []
    host.uni.switchTab!({ url: `/${ORDERS}`, ...callbacks(heard) } as never)
    await host.advance(20)
    expect(heard).toEqual([])
    await host.until(() => heard.length === 2, { what: 'the held navigation’s outcome' })
    expect(heard).toEqual(['success switchTab:ok', 'complete switchTab:ok'])
    expect(host.fake.calls.count('login')).toBe(1)

    // The wallet also needs a phone: this one is diverted, and hears so once.
    const wallet: Heard = []
    host.uni.navigateTo!({ url: `/${WALLET}?from=a`, ...callbacks(wallet) } as never)
    await host.until(() => wallet.length === 2, { what: 'the wallet navigation' })
    expect(wallet).toEqual([`fail ${DIVERTED}`, `complete ${DIVERTED}`])
  })

  it('the promise form of a navigation held for the launch login resolves once the login lets it through', async () => {
    const host = startHost({ behaviour: { latency: { login: 200 } } })
    host.launch()
    let outcome = 'pending'
    ;(host.uni.switchTab!({ url: `/${ORDERS}` } as never) as Promise<{ errMsg: string }>).then(
      (r) => (outcome = r.errMsg),
      (e: { errMsg: string }) => (outcome = `rejected ${e.errMsg}`),
    )
    await host.advance(20)
    expect(outcome).toBe('pending')
    await host.until(() => outcome !== 'pending', { what: 'the promise' })
    expect(outcome).toBe('switchTab:ok')
    expect(host.current.route).toBe(ORDERS)
  })
})
