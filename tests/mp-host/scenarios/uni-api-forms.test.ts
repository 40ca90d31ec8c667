import { describe, expect, it } from 'vitest'
import { authOf, bearer, callsTo, launchAndLoad, startHost } from './support'

/** Calls an app makes itself through the compiled `uni`, beyond what the demo page does. */
describe('uni API forms through the compiled interceptor', () => {
  it('the fast path returns the RequestTask intact', async () => {
    const host = startHost()
    await launchAndLoad(host)
    const task = host.uni.request({ url: '/me', success: () => {} }) as { abort?: unknown; onProgressUpdate?: unknown }
    expect(typeof task.abort).toBe('function')
    expect(typeof task.onProgressUpdate).toBe('function')
  })

  it('the promise form settles once, with the replayed answer after a 401', async () => {
    const host = startHost()
    await launchAndLoad(host)
    host.backend.revoke(host.backend.issued[0]!.token)
    const pending = host.uni.request({ url: '/me' }) as Promise<{ statusCode: number; data: unknown }>
    await host.until(() => host.backend.issued.length === 2 && callsTo(host, '/me').length === 3, { what: 'replay' })
    await host.advance(20)
    await expect(pending).resolves.toMatchObject({ statusCode: 200, data: { user: { id: 'u1' } } })
  })

  it('downloadFile carries the token', async () => {
    const host = startHost()
    await launchAndLoad(host)
    const results: Array<{ statusCode: number }> = []
    host.uni.downloadFile({ url: '/me', success: (res: { statusCode: number }) => results.push(res) })
    await host.until(() => results.length > 0, { what: 'download' })
    expect(results.map((r) => r.statusCode)).toEqual([200])
    expect(callsTo(host, '/me', 'downloadFile').map(authOf)).toEqual([bearer(host.backend.issued[0]!.token)])
  })
})

describe('RequestTask.abort() on the fast path', () => {
  it('reaches wx: the caller hears one fail "abort" and no success', async () => {
    const host = startHost()
    await launchAndLoad(host)
    const heard: string[] = []
    const task = host.uni.request({
      url: '/me',
      success: () => heard.push('success'),
      fail: (error: { errMsg: string }) => heard.push(error.errMsg),
      complete: () => heard.push('complete'),
    }) as { abort(): void }
    task.abort()
    await host.advance(100)
    expect(heard).toEqual(['request:fail abort', 'complete'])
  })
})
