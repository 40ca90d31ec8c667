import { describe, expect, it } from 'vitest'
import { pagesNeedingLogin } from '../../src/uni/navigation-guard'
import { flush } from '../support/deferred'
import { restart, setupUni } from '../support/uni-harness'

const guard = { pages: ['pages/orders/index', 'pages/profile/index'], loginPage: '/pages/login/index' }
const navigations = (h: Awaited<ReturnType<typeof setupUni>>) =>
  h.wx.calls.filter((c) => ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab'].includes(c.api)).map((c) => `${c.api} ${c.options.url}`)

describe('navigation guard', () => {
  it('an open page is never held up', async () => {
    const h = await setupUni({ guard })
    h.uni.navigateTo!({ url: '/pages/news/index' })
    expect(navigations(h)).toEqual(['navigateTo /pages/news/index'])
    expect(h.count('login')).toBe(0)
  })

  it('a guarded page waits for the silent login and then opens, without the login page', async () => {
    const h = await setupUni({ guard })
    h.uni.navigateTo!({ url: '/pages/orders/index?id=7' })
    expect(navigations(h)).toEqual([])
    await flush(20)
    expect(h.count('login')).toBe(1)
    expect(navigations(h)).toEqual(['navigateTo /pages/orders/index?id=7'])
  })

  it('when the silent login fails it goes to the login page, and returns to the target after login', async () => {
    const h = await setupUni({ guard })
    const login = h.backend.login
    h.backend.login = () => ({ statusCode: 503, data: {} })
    h.uni.navigateTo!({ url: '/pages/orders/index?id=7' })
    await flush(20)
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
    expect(h.auth.guard?.pending).toEqual({ method: 'navigateTo', url: '/pages/orders/index?id=7' })
    h.backend.login = login
    await h.auth.engine.relogin() // the login page's button
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index', 'redirectTo /pages/orders/index?id=7'])
    expect(h.auth.guard?.pending).toBeNull()
  })

  it('requirePhone: a logged-in user without a phone goes to the login page and comes back after bindPhone', async () => {
    const h = await setupUni({ guard: { ...guard, requirePhone: true }, phoneUrl: '/auth/phone' })
    await h.auth.engine.ensureSession()
    h.uni.switchTab!({ url: '/pages/profile/index' })
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
    await h.auth.bindPhone('phone-code')
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index', 'switchTab /pages/profile/index'])
  })

  it('the first page at launch is guarded too (checkLaunch), replacing the stack with reLaunch', async () => {
    const first = await setupUni({ guard: { ...guard, requirePhone: true } })
    await first.auth.engine.ensureSession()
    const h = restart(first, { guard: { ...guard, requirePhone: true }, phoneUrl: '/auth/phone' })
    h.auth.guard!.checkLaunch('pages/orders/index', { id: '9' })
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index'])
    await h.auth.bindPhone('c')
    expect(navigations(h)).toEqual(['reLaunch /pages/login/index', 'reLaunch /pages/orders/index?id=9'])
  })

  it('the login page itself is never guarded (no redirect loop)', async () => {
    const h = await setupUni({ guard: { pages: () => true, loginPage: '/pages/login/index' } })
    h.backend.login = () => ({ statusCode: 503, data: {} })
    h.uni.navigateTo!({ url: '/pages/login/index' })
    expect(navigations(h)).toEqual(['navigateTo /pages/login/index'])
  })

  it('bad guard options are refused', async () => {
    await expect(setupUni({ guard: { pages: ['a'], loginPage: '' } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' })
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
