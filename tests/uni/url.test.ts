import { describe, expect, it } from 'vitest'
import { inScope, isAbsolute, joinUrl, originOf, pathKey, resolveUrl } from '../../src/uni/url'
import { API, businessRequests, setupUni } from '../../testkit/harness/uni-harness'

describe('URL helpers', () => {
  it.each([
    ['https://api.x.com', '/orders', 'https://api.x.com/orders'],
    ['https://api.x.com', 'orders', 'https://api.x.com/orders'],
    ['https://api.x.com/v1', '//orders?x=1', 'https://api.x.com/v1/orders?x=1'],
    ['https://api.x.com', 'https://other.com/a', 'https://other.com/a'],
    ['https://api.x.com', 'HTTP://other.com/a', 'HTTP://other.com/a'],
    [undefined, '/orders', '/orders'],
  ])('resolveUrl(%s, %s) → %s', (base, url, expected) => {
    expect(resolveUrl(base, url)).toBe(expected)
  })

  it.each([
    ['/auth/login', 'auth/login'],
    ['/auth/login/', 'auth/login'],
    ['/auth/login?x=1#y', 'auth/login'],
    ['/auth/login#y?x', 'auth/login'],
    ['https://api.x.com/a/?q', 'https://api.x.com/a'],
    ['//a//#?', 'a'],
    ['///', ''],
    ['pages/a/index', 'pages/a/index'],
    ['', ''],
  ])('pathKey(%s) → %s', (url, expected) => {
    expect(pathKey(url)).toBe(expected)
  })

  it.each([
    ['https://api.x.com/a', true],
    ['wxfile://tmp/a.png', true],
    ['HTTP://X.COM', true],
    ['/orders', false],
    ['orders', false],
    ['//cdn.x.com/a', false],
    ['1http://x.com', false],
  ])('isAbsolute(%s) → %s', (url, expected) => {
    expect(isAbsolute(url)).toBe(expected)
  })

  it.each([
    ['https://api.x.com', '/orders', 'https://api.x.com/orders'],
    ['https://api.x.com', '///orders', 'https://api.x.com/orders'],
    ['https://api.x.com', 'orders?a=/b', 'https://api.x.com/orders?a=/b'],
  ])('joinUrl(%s, %s) → %s', (base, url, expected) => {
    expect(joinUrl(base, url)).toBe(expected)
  })

  it.each([
    ['https://api.x.com/v1/a?b', 'https://api.x.com'],
    ['wss://h:8080', 'wss://h:8080'],
    ['/relative', undefined],
  ])('originOf(%s) → %s', (url, expected) => {
    expect(originOf(url)).toBe(expected)
  })

  it.each([
    ['https://api.x.com', 'https://api.x.com', true],
    ['https://api.x.com', 'https://api.x.com/orders', true],
    ['https://api.x.com', 'https://api.x.com?x=1', true],
    ['https://api.x.com', 'https://api.x.com#h', true],
    ['https://api.x.com', 'https://api.x.com.evil.com/orders', false],
    ['https://api.x.com', 'https://api.x.comx', false],
    ['https://api.x.com', 'https://other.com/orders', false],
    [undefined, 'https://anywhere.com', true],
  ])('inScope(%s, %s) → %s', (scope, url, expected) => {
    expect(inScope(scope, url)).toBe(expected)
  })

  it('a baseUrl with a trailing slash still matches its own URLs, and not look-alike hosts', async () => {
    const h = await setupUni({ baseUrl: `${API}/` })
    await h.auth.engine.ensureSession()
    await h.uni.request({ url: `${API}/orders` })
    await h.uni.request({ url: `${API}.evil.com/orders` })
    expect(businessRequests(h).map((r) => r.auth)).toEqual(['Bearer tok-1', undefined])
  })

  it('without baseUrl the token goes only to the origin of an absolute login URL', async () => {
    const h = await setupUni({ baseUrl: undefined, login: `${API}/auth/login` })
    await h.uni.request({ url: `${API}/orders` })
    await h.uni.request({ url: 'https://cdn.example.com/a.png' })
    expect(businessRequests(h).map((r) => [r.url, r.auth])).toEqual([
      [`${API}/orders`, 'Bearer tok-1'],
      ['https://cdn.example.com/a.png', undefined],
    ])
  })
})
