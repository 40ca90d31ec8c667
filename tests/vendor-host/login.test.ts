import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { WxCall } from '../../testkit/doubles/call-log'
import { createVendorHost, type Vendor, type VendorHost } from '../../testkit/vendor-host'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const hosts: VendorHost[] = []
afterEach(() => {
  for (const host of hosts.splice(0)) host.dispose()
})

interface Sent {
  url: string
  data?: unknown
  provider?: string
  header?: Record<string, string>
  headers?: Record<string, string>
}
const sent = (call: WxCall) => call.args[0] as Sent
/** The request's headers as the platform received them (Alipay: `headers`, lower-cased by uni). */
const authorization = (call: WxCall) => {
  const { header = {}, headers = {} } = sent(call)
  return headers.authorization ?? header.Authorization
}
const toBackend = (host: VendorHost) => host.fake.calls.of('request').filter((call) => !sent(call).url.includes('/auth/'))

// The demo as users build it (`node scripts/uni.mjs build -p mp-alipay` / `-p mp-toutiao`), run over
// the platform's own API shapes: the login code comes from my.getAuthCode / tt.login through uni.login.
describe.each([
  ['mp-alipay', 'getAuthCode', 'alipay'],
  ['mp-toutiao', 'login', 'toutiao'],
] as const)('the compiled %s build', (vendor: Vendor, codeApi, provider) => {
  const distDir = join(ROOT, 'dist/build', vendor)

  function launched(previous?: VendorHost): VendorHost {
    const host = createVendorHost({ distDir, vendor, backend: previous?.backend, storage: previous?.storage })
    hosts.push(host)
    host.launch()
    return host
  }

  it(`logs in once through ${codeApi}, naming ${vendor} in the login request, and sends the token with every request`, async () => {
    const host = launched()
    await host.until(() => host.backend.counts.requests >= 1 && host.backend.counts.logins === 1, 'a login and GET /me')
    expect(host.fake.calls.count(codeApi)).toBe(1)
    expect(sent(host.fake.calls.of(codeApi)[0]!).provider).toBe(provider)
    const logins = host.fake.calls.of('request').filter((call) => sent(call).url.endsWith('/auth/login'))
    expect(logins).toHaveLength(1)
    // The body as it goes on the wire (JSON leaves out fields without a value: no appId configured).
    expect(JSON.parse(JSON.stringify(sent(logins[0]!).data))).toEqual({ code: expect.stringMatching(/.+/), platform: vendor })
    const token = host.backend.issued[0]?.token
    expect(token).toBeDefined()
    expect(toBackend(host).length).toBeGreaterThan(0)
    for (const call of toBackend(host)) expect(authorization(call)).toBe(`Bearer ${token}`)
    expect(host.backend.counts.unauthorized).toBe(0)
  })

  it('a relaunch uses the stored token: no new code, no login', async () => {
    const errors = vi.spyOn(console, 'error')
    const first = launched()
    await first.until(() => first.backend.counts.requests >= 1, 'the first launch’s GET /me')
    const token = first.backend.issued[0]?.token
    first.dispose()
    const again = launched(first)
    await again.until(() => first.backend.counts.requests >= 2, 'the relaunch’s GET /me')
    // Alipay has no checkSession (counted as "unknown"); Douyin's answers "valid": either way no login.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(again.fake.calls.count(codeApi)).toBe(0)
    expect(again.backend.counts.logins).toBe(1)
    // Douyin checks the session alongside; Alipay has no checkSession, and uni's layer is never asked
    // for one it does not support (it would log "暂不支持" and never answer).
    expect(again.fake.calls.count('checkSession')).toBe(vendor === 'mp-toutiao' ? 1 : 0)
    expect(errors).not.toHaveBeenCalled()
    expect(toBackend(again).map(authorization)).toEqual(toBackend(again).map(() => `Bearer ${token}`))
  })
})
