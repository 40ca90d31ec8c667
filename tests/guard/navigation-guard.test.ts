import { describe, expect, it, vi } from 'vitest'
import type { App } from 'vue'
import { createAuthGuard, type GuardOptions, pagesNeedingLogin } from '../../src/guard'
import { bindPhone } from '../../src/phone'
import { type AuthContext, setActiveContext } from '../../src/vue/auth-context'
import { flush } from '../../testkit/harness/deferred'
import { answerLogin, exchanges as exchangesOf, restart, sentOptions, setupUni, type UniHarness } from '../../testkit/harness/uni-harness'

type Hook = (this: object, query?: Record<string, string>) => void

/**
 * The guard installed on the harness's plugin, as `app.use(createAuthGuard(...))` would; `open`
 * plays the platform opening a page by itself (launch, native tabBar): onLoad, then onShow.
 */
function withGuard<H extends UniHarness>(h: H, options: GuardOptions) {
  setActiveContext(h.auth as AuthContext)
  let mixin: { onLoad: Hook; onShow: Hook } | undefined
  const app = {
    mixin(installed: typeof mixin) {
      mixin = installed
    },
  }
  createAuthGuard(options).install(app as unknown as App)
  const open = (route: string, query?: Record<string, string>) => {
    const page = { $mpType: 'page', $scope: { route } }
    mixin!.onLoad.call(page, query)
    mixin!.onShow.call(page)
    return { show: () => mixin!.onShow.call(page) }
  }
  return Object.assign(h, { open })
}

const guard = { pages: ['pages/orders/index', 'pages/profile/index'], loginPage: '/pages/login/index' }
const navigations = (h: UniHarness) =>
  h.wx.calls.all
    .filter((c) => ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab'].includes(c.api))
    .map((c) => `${c.api} ${sentOptions(c).url}`)

describe('navigation guard: the navigation APIs', () => {
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
    answerLogin(h, () => ({ statusCode: 503, data: {} }))
    h.uni.navigateTo!({ url: '/pages/orders/index?id=7', fail: () => {} })
    await flush(20)
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
    h.wx.behaviour.http = null
    await h.auth.engine.relogin() // the login page's button
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index', 'redirectTo /pages/orders/index?id=7'])
    // Resumed once: a later session change does not navigate again.
    await h.auth.engine.relogin()
    expect(navigations(h)).toHaveLength(2)
  })

  it('requirePhone: a logged-in user without a phone goes to the login page and comes back after bindPhone', async () => {
    const h = withGuard(await setupUni(), { ...guard, requirePhone: true })
    await h.auth.engine.ensureSession()
    h.uni.switchTab!({ url: '/pages/profile/index', fail: () => {} })
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
    await bindPhone('phone-code')
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index', 'switchTab /pages/profile/index'])
  })

  it('requirePhone as a list guards those pages alone for the phone; the others need a login only', async () => {
    const h = withGuard(await setupUni(), { ...guard, requirePhone: ['pages/wallet/index'] })
    await h.auth.engine.ensureSession()
    h.uni.navigateTo!({ url: '/pages/orders/index' })
    h.uni.navigateTo!({ url: '/pages/wallet/index', fail: () => {} })
    expect(navigations(h)).toEqual(['navigateTo /pages/orders/index', 'navigateTo /pages/login/index'])
  })

  it('the login page itself is never guarded (no redirect loop)', async () => {
    const h = withGuard(await setupUni(), { pages: () => true, loginPage: '/pages/login/index' })
    answerLogin(h, () => ({ statusCode: 503, data: {} }))
    h.uni.navigateTo!({ url: '/pages/login/index' })
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
  })

  it('bad guard options are refused', () => {
    expect(() => createAuthGuard({ pages: ['a'], loginPage: '' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(() => createAuthGuard({ pages: 'a' as never, loginPage: '/l' })).toThrow(/createAuthGuard/)
  })
})

describe('navigation guard: pages reached without a navigation API', () => {
  it('launch straight into a guarded page with a query: it waits for the launch login and stays', async () => {
    const h = withGuard(await setupUni(), guard)
    void h.auth.engine.ensureSession() // App onLaunch
    h.open('pages/orders/index', { id: '9' })
    await flush(20)
    expect(h.count('login')).toBe(1)
    expect(navigations(h)).toEqual([])
  })

  it('launch into a guarded page when the silent login fails: login page once, then back to the target with its query', async () => {
    const h = withGuard(await setupUni(), guard)
    answerLogin(h, () => ({ statusCode: 503, data: {} }))
    void h.auth.engine.ensureSession().catch(() => {})
    h.open('pages/orders/index', { id: '9', from: 'share card' })
    await flush(20)
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index'])
    h.wx.behaviour.http = null
    await h.auth.engine.relogin()
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index', 'redirectTo /pages/orders/index?id=9&from=share%20card'])
  })

  it('a guarded tab shown by the native tabBar after logout goes to the login page, and back with switchTab', async () => {
    const h = withGuard(await setupUni(), guard)
    await h.auth.engine.ensureSession()
    h.auth.logout()
    h.wx.behaviour.redirectTo = { fail: 'can not redirectTo a tabbar page' }
    h.open('pages/profile/index')
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index'])
    await h.auth.engine.relogin()
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index', 'redirectTo /pages/profile/index', 'switchTab /pages/profile/index'])
    expect(h.count('login')).toBe(2)
  })

  it('going back (onShow) into a guarded page after logout diverts once; an open page is left alone', async () => {
    const h = withGuard(await setupUni(), guard)
    await h.auth.engine.ensureSession()
    const orders = h.open('pages/orders/index', { id: '3' })
    const news = h.open('pages/news/index')
    expect(navigations(h)).toEqual([])
    h.auth.logout()
    news.show()
    expect(navigations(h)).toEqual([])
    orders.show()
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index'])
    await h.auth.engine.relogin()
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index', 'redirectTo /pages/orders/index?id=3'])
  })

  it('the first show right after onLoad is not a second check (one divert, not two)', async () => {
    const h = withGuard(await setupUni(), guard)
    h.auth.logout()
    h.open('pages/orders/index')
    await flush(20)
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index'])
  })

  it('components and the App itself are ignored by the page mixin', async () => {
    const h = withGuard(await setupUni(), { pages: () => true, loginPage: '/pages/login/index' })
    h.auth.logout()
    let mixin: { onLoad: Hook; onShow: Hook } | undefined
    const app = {
      mixin(installed: typeof mixin) {
        mixin = installed
      },
    }
    createAuthGuard({ pages: () => true, loginPage: '/l' }).install(app as unknown as App)
    mixin!.onLoad.call({ $mpType: 'component', $scope: { route: 'pages/x/index' } })
    mixin!.onShow.call({ $mpType: 'app' })
    expect(navigations(h)).toEqual([])
  })
})

describe('navigation guard: the first entry after logout', () => {
  it('a guarded page whose own onLoad calls ensureSession(): the login page once, no silent login', async () => {
    const h = withGuard(await setupUni(), guard)
    await h.auth.engine.ensureSession()
    h.auth.logout()
    // The page's own onLoad (the README's pattern) and the guard's mixin, in either order.
    const own = h.auth.engine.ensureSession().catch((error: { code?: string }) => error.code)
    h.open('pages/orders/index', { id: '5' })
    expect(await own).toBe('LOGGED_OUT')
    await flush(20)
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index'])
    expect(h.count('login')).toBe(1)
    await h.auth.engine.relogin()
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index', 'redirectTo /pages/orders/index?id=5'])
    expect(h.count('login')).toBe(2)
  })

  it('after a relaunch following a logout: a launch into a guarded page goes to the login page, without a login', async () => {
    const first = await setupUni()
    await first.auth.engine.ensureSession()
    first.auth.logout()
    const h = withGuard(restart(first), guard)
    void h.auth.engine.ensureSession().catch(() => {}) // App onLaunch
    h.open('pages/orders/index', { from: 'share' })
    await flush(20)
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index'])
    expect(h.count('login')).toBe(0)
    await h.auth.engine.relogin()
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index', 'redirectTo /pages/orders/index?from=share'])
  })

  it('a failed login action leaves the user logged out: the guard still diverts, without a silent login', async () => {
    const h = withGuard(await setupUni(), guard)
    h.auth.logout()
    answerLogin(h, () => ({ statusCode: 503, data: {} }))
    await h.auth.engine.relogin().catch(() => {})
    h.uni.navigateTo!({ url: '/pages/orders/index', fail: () => {} })
    await flush(20)
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
    expect(exchangesOf(h)).toBe(1)
  })
})

describe('navigation guard: every held navigation settles once', () => {
  const DIVERTED = /^(navigateTo|switchTab|redirectTo|reLaunch):fail redirected to login by uni-mp-auth guard$/

  function callbackForm(h: UniHarness, method: 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab', url: string) {
    const outcomes: string[] = []
    const record = (kind: string) => (result: { errMsg?: string }) => outcomes.push(`${kind} ${result.errMsg}`)
    h.uni[method]!({ url, success: record('success'), fail: record('fail'), complete: record('complete') })
    return outcomes
  }

  it.each(['navigateTo', 'redirectTo', 'reLaunch', 'switchTab'] as const)(
    'uni.%s diverted to the login page: fail + complete with the guard’s errMsg',
    async (method) => {
      const h = withGuard(await setupUni(), guard)
      h.auth.logout()
      const outcomes = callbackForm(h, method, '/pages/orders/index')
      await flush(20)
      const errMsg = `${method}:fail redirected to login by uni-mp-auth guard`
      expect(outcomes).toEqual([`fail ${errMsg}`, `complete ${errMsg}`])
      expect(navigations(h)).toHaveLength(1)
      // Logging in later opens the target, but the caller has had its one outcome.
      await h.auth.engine.relogin()
      await flush(20)
      expect(outcomes).toHaveLength(2)
    },
  )

  it('the promise form rejects with the same errMsg', async () => {
    const h = withGuard(await setupUni(), guard)
    h.auth.logout()
    const result = await (h.uni.navigateTo!({ url: '/pages/orders/index' }) as unknown as Promise<unknown>).then(
      () => 'resolved',
      (error: { errMsg?: string }) => error.errMsg,
    )
    expect(result).toMatch(DIVERTED)
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
  })

  it('a navigation held for the silent login and then let through: success + complete (callback form)', async () => {
    const h = withGuard(await setupUni(), guard)
    const outcomes = callbackForm(h, 'navigateTo', '/pages/orders/index?id=1')
    expect(outcomes).toEqual([])
    await flush(20)
    expect(navigations(h)).toEqual(['navigateTo /pages/orders/index?id=1'])
    expect(outcomes).toEqual(['success navigateTo:ok', 'complete navigateTo:ok'])
  })

  it('a navigation let through after the silent login keeps the caller’s other options', async () => {
    const h = withGuard(await setupUni(), guard)
    h.uni.navigateTo!({ url: '/pages/orders/index', animationType: 'fade-in', fail: () => {} })
    await flush(20)
    const sent = h.wx.calls.all.find((c) => c.api === 'navigateTo')
    expect(sent && (sent.args[0] as { animationType?: string }).animationType).toBe('fade-in')
  })

  it('a navigation held for the silent login and then let through: the promise form resolves', async () => {
    const h = withGuard(await setupUni(), guard)
    const result = await (h.uni.navigateTo!({ url: '/pages/orders/index' }) as unknown as Promise<{ errMsg?: string }>).then(
      (value) => value.errMsg,
      () => 'rejected',
    )
    expect(result).toBe('navigateTo:ok')
  })

  it('a navigation held for a silent login that fails: fail + complete once, the login page instead', async () => {
    const h = withGuard(await setupUni(), guard)
    answerLogin(h, () => ({ statusCode: 503, data: {} }))
    const outcomes = callbackForm(h, 'navigateTo', '/pages/orders/index')
    await flush(20)
    expect(outcomes).toEqual([expect.stringMatching(/^fail /), expect.stringMatching(/^complete /)])
    expect(outcomes[0]!.slice(5)).toMatch(DIVERTED)
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
  })

  it('uni-h5’s own tabBar tap (switchTab from: tabBar, promise form, unawaited) is diverted without a rejection', async () => {
    const h = withGuard(await setupUni(), guard)
    h.auth.logout()
    let settled = 'pending'
    ;(h.uni.switchTab!({ from: 'tabBar', url: '/pages/orders/index' }) as unknown as Promise<unknown>).then(
      () => (settled = 'resolved'),
      () => (settled = 'rejected'),
    )
    await flush(20)
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
    expect(settled).toBe('pending')
  })

  it('a throwing fail callback does not break the divert', async () => {
    const h = withGuard(await setupUni(), guard)
    h.auth.logout()
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    let completed = 0
    h.uni.navigateTo!({
      url: '/pages/orders/index',
      fail: () => {
        throw new Error('caller bug')
      },
      complete: () => completed++,
    })
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
    expect(completed).toBe(1)
    expect(errors).toHaveBeenCalled()
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

  it('a restart keeps the phone-bound user: the guarded page opens at once', async () => {
    const first = await setupUni()
    await first.auth.engine.ensureSession()
    setActiveContext(first.auth as AuthContext)
    await bindPhone('c')
    const h = withGuard(restart(first), { ...guard, requirePhone: true })
    h.uni.navigateTo!({ url: '/pages/orders/index' })
    expect(navigations(h)).toEqual(['navigateTo /pages/orders/index'])
  })
})
