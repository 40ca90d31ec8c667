import { describe, expect, it } from 'vitest'
import { argsOf, authOf, bearer, callsTo, launchAndLoad, startHost, waitForLog } from './support'

describe('uploadFile through the interceptor', () => {
  it('carries the token', async () => {
    const host = startHost()
    await launchAndLoad(host)
    host.page.tap('upload')
    expect(await waitForLog(host, 'upload')).toBe('upload → 200')

    expect(host.fake.calls.count('chooseImage')).toBe(1)
    const uploads = callsTo(host, '/me/avatar', 'uploadFile')
    expect(uploads).toHaveLength(1)
    expect(argsOf(uploads[0]!)).toMatchObject({ filePath: 'wxfile://tmp/avatar.png', name: 'avatar' })
    expect(authOf(uploads[0]!)).toBe(bearer(host.backend.issued[0]!.token))
    expect(host.fake.calls.count('login')).toBe(1)
  })

  it('tapped while the first login is running: waits for it, then carries the token', async () => {
    const host = startHost({ behaviour: { latency: { login: 200 } } })
    host.launch()
    host.page.tap('upload')
    await host.advance(50)
    expect(host.fake.calls.count('chooseImage')).toBe(1)
    expect(host.fake.calls.count('uploadFile')).toBe(0)

    expect(await waitForLog(host, 'upload')).toBe('upload → 200')
    const uploads = callsTo(host, '/me/avatar', 'uploadFile')
    expect(uploads.map(authOf)).toEqual([bearer(host.backend.issued[0]!.token)])
    expect(host.fake.calls.count('login')).toBe(1)
  })

  it('a 401 on upload is recovered and replayed once', async () => {
    const host = startHost()
    await launchAndLoad(host)
    const old = host.backend.issued[0]!.token
    host.backend.revoke(old)
    host.page.tap('upload')
    expect(await waitForLog(host, 'upload')).toBe('upload → 200')

    const uploads = callsTo(host, '/me/avatar', 'uploadFile')
    expect(uploads.map(authOf)).toEqual([bearer(old), bearer(host.backend.issued[1]!.token)])
    expect(callsTo(host, '/auth/refresh')).toHaveLength(1)
  })
})
