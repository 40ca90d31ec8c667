import type { App } from 'vue'
import { describe, expect, it } from 'vitest'
import { createAuthGuard, type GuardOptions, pagesNeedingLogin } from '../../src/guard'
import { bindPhone } from '../../src/phone'
import { type AuthContext, type LaunchOptions, setActiveContext } from '../../src/vue/auth-context'
import { flush } from '../support/deferred'
import { restart, setupUni, type UniHarness } from '../support/uni-harness'

/** The guard installed on the harness's plugin, as `app.use(createAuthGuard(...))` would. */
function withGuard<H extends UniHarness>(h: H, options: GuardOptions): H & { launch(launch: LaunchOptions): void } {
  const launchHooks = new Set<(launch: LaunchOptions) => void>()
  setActiveContext({ ...h.auth, launchHooks } as unknown as AuthContext)
  createAuthGuard(options).install({} as App)
  return Object.assign(h, { launch: (launch: LaunchOptions) => launchHooks.forEach((hook) => hook(launch)) })
}

const guard = { pages: ['pages/orders/index', 'pages/profile/index'], loginPage: '/pages/login/index' }
const navigations = (h: Awaited<ReturnType<typeof setupUni>>) =>
  h.wx.calls.filter((c) => ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab'].includes(c.api)).map((c) => `${c.api} ${c.options.url}`)

describe('navigation guard', () => {
  it('an open page is never held up', async () => {
    const h = withGuard(await setupUni(), guard)
    h.uni.navigateTo!({ url: '/pages/news/index' })
    expect(navigations(h)).toEqual(['navigateTo /pages/news/index'])
    expect(h.count('login')).toBe(0)
  })

  it('a guarded page waits for the silent login and then opens, without the login page', async () => {
    const h = withGuard(await setupUni(), guard)
    h.uni.navigateTo!({ url: '/pages/orders/index?id=7' })
    expect(navigations(h)).toEqual([])
    await flush(20)
    expect(h.count('login')).toBe(1)
    expect(navigations(h)).toEqual(['navigateTo /pages/orders/index?id=7'])
  })

  it('when the silent login fails it goes to the login page, and returns to the target after login', async () => {
    const h = withGuard(await setupUni(), guard)
    const login = h.backend.login
    h.backend.login = () => ({ statusCode: 503, data: {} })
    h.uni.navigateTo!({ url: '/pages/orders/index?id=7' })
    await flush(20)
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
    h.backend.login = login
    await h.auth.engine.relogin() // the login page's button
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index', 'redirectTo /pages/orders/index?id=7'])
    // Resumed once: a later session change does not navigate again.
    await h.auth.engine.relogin()
    expect(navigations(h)).toHaveLength(2)
  })

  it('requirePhone: a logged-in user without a phone goes to the login page and comes back after bindPhone', async () => {
    const h = withGuard(await setupUni(), { ...guard, requirePhone: true })
    await h.auth.engine.ensureSession()
    h.uni.switchTab!({ url: '/pages/profile/index' })
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
    await bindPhone('phone-code')
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index', 'switchTab /pages/profile/index'])
  })

  it('the first page at launch is guarded too (checkLaunch), replacing the stack with reLaunch', async () => {
    const first = await setupUni()
    await first.auth.engine.ensureSession()
    const h = withGuard(restart(first), { ...guard, requirePhone: true })
    h.launch({ path: 'pages/orders/index', query: { id: '9' } })
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index'])
    await bindPhone('c')
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index', 'reLaunch /pages/orders/index?id=9'])
  })

  it('the login page itself is never guarded (no redirect loop)', async () => {
    const h = withGuard(await setupUni(), { pages: () => true, loginPage: '/pages/login/index' })
    h.backend.login = () => ({ statusCode: 503, data: {} })
    h.uni.navigateTo!({ url: '/pages/login/index' })
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
  })

  it('bad guard options are refused', () => {
    expect(() => createAuthGuard({ pages: ['a'], loginPage: '' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(() => createAuthGuard({ pages: 'a' as never, loginPage: '/l' })).toThrow(/createAuthGuard/)
  })
})

describe('pagesNeedingLogin(pagesJson)', () => {
  it('reads needLogin flags from pages and sub-packages', () => {
    expect(
      pagesNeedingLogin({
        pages: [{ path: 'pages/index/index' }, { path: 'pages/orders/index', needLogin: true }],
        subPackages: [{ root: 'sub/', pages: [{ path: 'detail/index', needLogin: true }, { path: 'open/index' }] }],
      }),
    ).toEqual(['pages/orders/index', 'sub/detail/index'])
  })
})
