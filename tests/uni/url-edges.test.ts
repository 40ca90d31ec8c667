import { describe, expect, it } from 'vitest'
import { isAbsolute, originOf, pathKey } from '../../src/uni/url'
import { API, businessRequests, setupUni } from '../../testkit/harness/uni-harness'

describe('URL helpers: edges', () => {
  it.each([
    ['s3://bucket/a', true],
    ['web+app1://x', true],
    ['/go?to=https://other.com', false],
    ['orders?next=https://other.com', false],
    ['pages/a?x=http://y', false],
  ])('isAbsolute(%s) → %s: only a leading scheme makes a URL absolute', (url, expected) => {
    expect(isAbsolute(url)).toBe(expected)
  })

  it('originOf a relative URL that carries an absolute one in its query is undefined', () => {
    expect(originOf('/auth/login?next=https://other.com')).toBeUndefined()
  })

  it.each([
    ['?x=1', ''],
    ['#x', ''],
    ['#?x', ''],
    ['/a/#top', 'a'],
    ['/a?b#c', 'a'],
  ])('pathKey(%s) → %j: the query or hash starts where its mark is, even at the very start', (url, expected) => {
    expect(pathKey(url)).toBe(expected)
  })

  it('a relative URL with an absolute URL in its query is still the app’s own: prefixed and authorized', async () => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    await h.uni.request({ url: '/orders?back=https://other.com/x' })
    expect(businessRequests(h)).toEqual([{ url: `${API}/orders?back=https://other.com/x`, auth: 'Bearer tok-1' }])
  })
})
