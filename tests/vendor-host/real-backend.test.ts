import { generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildMockWechat, type MockWechat } from '../../server/mock-wechat/app'
import { buildApp } from '../../server/src/app'
import { loadConfig } from '../../server/src/config/environment'
import type { WxCall } from '../../testkit/doubles/call-log'
import type { BackendRequest, BackendResponse } from '../../testkit/doubles/fake-backend'
import { createVendorHost, type Vendor, type VendorHost, type VendorNetwork } from '../../testkit/vendor-host'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The API base the demo was built with (demo/config.ts): the phone's requests go there. */
const DEMO_API = 'http://127.0.0.1:3000'
const DOUYIN = { appId: 'tt00000000000host1', secret: 'douyin-secret-for-the-vendor-host' }
const ALIPAY_APPID = '2021000000000077'
const alipayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 })

let mock: MockWechat
let backend: FastifyInstance
let backendUrl = ''

// The reference backend with the Alipay and Douyin targets configured against the mock of each
// platform's API (Alipay's gateway checks the RSA2 signature and signs its answers).
beforeAll(async () => {
  mock = buildMockWechat({
    douyinApps: [DOUYIN],
    alipayApps: [{ appId: ALIPAY_APPID, appPublicKey: alipayKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
  })
  const mockUrl = await mock.app.listen({ host: '127.0.0.1', port: 0 })
  const config = loadConfig({
    JWT_SECRET: 'vendor-host-jwt-secret-that-is-long-enough-0123',
    WX_API_BASE: mockUrl,
    STORE_URL: 'sqlite::memory:',
    LOG_LEVEL: 'warn',
    DOUYIN_APPID: DOUYIN.appId,
    DOUYIN_SECRET: DOUYIN.secret,
    DOUYIN_API_BASE: mockUrl,
    ALIPAY_APPID,
    ALIPAY_PRIVATE_KEY: alipayKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ALIPAY_PUBLIC_KEY: mock.alipay.alipayPublicKey,
    ALIPAY_GATEWAY: `${mockUrl}/gateway.do`,
  })
  backend = await buildApp(config)
  backendUrl = await backend.listen({ host: '127.0.0.1', port: 0 })
})

afterAll(async () => {
  await backend?.close()
  await mock?.app.close()
})

const hosts: VendorHost<VendorNetwork>[] = []
afterEach(() => {
  for (const host of hosts.splice(0)) host.dispose()
})

/** The phone's network: the demo's API base goes to the reference backend; codes come from the mock. */
function network(vendor: Vendor): VendorNetwork {
  return {
    mintCode: (openid) => mock.state.mintLoginCode({ vendor: vendor === 'mp-alipay' ? 'alipay' : 'toutiao', openid }).code,
    owns: (url) => url.startsWith(`${DEMO_API}/`),
    async handle({ method, url, header, data }: BackendRequest): Promise<BackendResponse> {
      const body = method === 'GET' || data === undefined ? undefined : typeof data === 'string' ? data : JSON.stringify(data)
      const response = await fetch(`${backendUrl}${url.slice(DEMO_API.length)}`, { method, headers: { ...header }, body })
      const text = await response.text()
      const answerHeader: Record<string, string> = {}
      response.headers.forEach((value, name) => {
        answerHeader[name] = value
      })
      return { statusCode: response.status, data: text ? JSON.parse(text) : '', header: answerHeader }
    },
  }
}

const sent = (call: WxCall) =>
  call.args[0] as { url: string; data?: unknown; header?: Record<string, string>; headers?: Record<string, string> }
const authorization = (call: WxCall) => sent(call).headers?.authorization ?? sent(call).header?.Authorization
const apiCalls = (host: VendorHost<VendorNetwork>) => host.fake.calls.of('request').filter((call) => !sent(call).url.includes('/auth/'))

describe.each([
  ['mp-alipay', 'getAuthCode', 'alipay_gateway'],
  ['mp-toutiao', 'login', 'douyin_jscode2session'],
] as const)('the compiled %s build against the reference backend and the mocks', (vendor: Vendor, codeApi, upstream) => {
  const distDir = join(ROOT, 'dist/build', vendor)

  function launched(storage?: VendorHost<VendorNetwork>['storage']): VendorHost<VendorNetwork> {
    const host = createVendorHost({ distDir, vendor, backend: network(vendor), storage })
    hosts.push(host)
    host.launch()
    return host
  }

  it(`logs in once (the backend trades the code at the ${upstream} mock), sends the token everywhere, and a relaunch logs in no more`, async () => {
    const tradedBefore = mock.state.calls[upstream]
    const first = launched()
    await first.until(() => apiCalls(first).length >= 1 && first.fake.calls.count('request') >= 2, 'the login and GET /me')
    const login = first.fake.calls.of('request').find((call) => sent(call).url.endsWith('/auth/login'))
    expect(JSON.parse(JSON.stringify(sent(login!).data))).toEqual({ code: expect.any(String), platform: vendor })
    expect(first.fake.calls.count(codeApi)).toBe(1)
    expect(mock.state.calls[upstream]).toBe(tradedBefore + 1)
    const token = /^Bearer (.+)$/.exec(authorization(apiCalls(first)[0]!) ?? '')?.[1]
    expect(token).toBeDefined()
    for (const call of apiCalls(first)) expect(authorization(call)).toBe(`Bearer ${token}`)
    // The backend accepted it: GET /me answered with the user (the page shows it; here the storage holds it).
    const me = await fetch(`${backendUrl}/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(me.status).toBe(200)
    first.dispose()

    const again = launched(first.storage)
    await again.until(() => apiCalls(again).length >= 1, 'the relaunch’s GET /me')
    expect(again.fake.calls.count(codeApi)).toBe(0)
    expect(again.fake.calls.of('request').filter((call) => sent(call).url.endsWith('/auth/login'))).toEqual([])
    expect(apiCalls(again).map(authorization)).toEqual(apiCalls(again).map(() => `Bearer ${token}`))
    expect(mock.state.calls[upstream]).toBe(tradedBefore + 1)
  })
})
