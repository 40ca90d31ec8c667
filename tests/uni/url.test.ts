import { describe, expect, it } from 'vitest'
import { normalizeBaseUrl, pathKey, resolveUrl } from '../../src/uni/url'
import { setupUni } from '../support/uni-harness'

describe('URL helpers', () => {
  it.each([
    ['https://api.x.com', '/orders', 'https://api.x.com/orders'],
    ['https://api.x.com/', 'orders', 'https://api.x.com/orders'],
    ['https://api.x.com/v1//', '//orders?x=1', 'https://api.x.com/v1/orders?x=1'],
    ['https://api.x.com', 'https://other.com/a', 'https://other.com/a'],
    [undefined, '/orders', '/orders'],
  ])('resolveUrl(%s, %s) → %s', (base, url, expected) => {
    expect(resolveUrl(normalizeBaseUrl(base), url)).toBe(expected)
  })

  it.each([
    ['/auth/login', '/auth/login'],
    ['/auth/login/', '/auth/login'],
    ['/auth/login?x=1#y', '/auth/login'],
    ['/auth/login#y?x', '/auth/login'],
    ['', ''],
  ])('pathKey(%s) → %s', (url, expected) => {
    expect(pathKey(url)).toBe(expected)
  })

  it('a baseUrl with a trailing slash still matches its own URLs, and not look-alike hosts', async () => {
    const h = await setupUni({ baseUrl: 'https://api.test/' })
    await h.auth.engine.ensureSession()
    await h.uni.request({ url: 'https://api.test/orders' })
    await h.uni.request({ url: 'https://api.test.evil.com/orders' })
    expect(h.backend.seen.slice(-2).map((r) => r.auth)).toEqual(['Bearer tok-1', undefined])
  })
})
