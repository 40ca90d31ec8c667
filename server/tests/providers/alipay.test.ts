import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMockWechat, type MockWechat } from '../../mock-wechat/app.js'
import { alipayProvider } from '../../src/providers/alipay.js'
import { armFault } from '../helpers/harness.js'
import { ALIPAY_APPID, expectError, login, useAllTargets } from '../helpers/providers.js'

describe('mp-alipay (alipay.system.oauth.token, RSA2)', () => {
  const harness = useAllTargets()

  it('logs in with an auth code: signed request, verified answer, one user per open_id', async () => {
    const a = await login(harness(), { code: 'mock-wang.1', platform: 'mp-alipay' })
    expect(a.statusCode, a.body).toBe(200)
    const b = await login(harness(), { code: 'mock-wang.2', platform: 'mp-alipay', appId: ALIPAY_APPID })
    expect(b.json().user.id).toBe(a.json().user.id)
    const other = await login(harness(), { code: 'mock-li.1', platform: 'mp-alipay' })
    expect(other.json().user.id).not.toBe(a.json().user.id)
  })

  it('an unknown code is PROVIDER_CODE_INVALID; a replayed one PROVIDER_CODE_USED without an upstream call', async () => {
    const message = expectError(await login(harness(), { code: 'never-issued', platform: 'mp-alipay' }), 400, 'PROVIDER_CODE_INVALID')
    expect(message).toMatch(/my\.getAuthCode/)
    expect((await login(harness(), { code: 'mock-zhao.1', platform: 'mp-alipay' })).statusCode).toBe(200)
    const calls = (await harness().stats()).alipay_gateway
    expectError(await login(harness(), { code: 'mock-zhao.1', platform: 'mp-alipay' }), 400, 'PROVIDER_CODE_USED')
    expect((await harness().stats()).alipay_gateway).toBe(calls)
  })

  const faults = [
    { fault: { badSignature: true }, status: 502, code: 'PROVIDER_SIGNATURE_INVALID', message: /Alipay public key/ },
    { fault: { subCode: 'isv.code-invalid' }, status: 400, code: 'PROVIDER_CODE_INVALID' },
    { fault: { subCode: 'isp.unknow-error' }, status: 502, code: 'PROVIDER_UNAVAILABLE' },
    { fault: { subCode: 'isv.app-call-limited' }, status: 429, code: 'PROVIDER_RATE_LIMITED' },
    { fault: { subCode: 'isv.unmatched-app-id' }, status: 502, code: 'PROVIDER_ERROR' },
    { fault: { status: 502 }, status: 502, code: 'PROVIDER_UNAVAILABLE', message: /HTTP 502/ },
    { fault: { hang: true }, status: 502, code: 'PROVIDER_UNAVAILABLE', message: /timed out/ },
  ] as const

  it.each(faults)('upstream $fault → $status $code', async ({ fault, status, code, ...expected }) => {
    await armFault(harness(), { endpoint: 'alipay_gateway', ...fault })
    const message = expectError(await login(harness(), { code: `mock-qian.${Math.random()}`, platform: 'mp-alipay' }), status, code)
    if ('message' in expected) expect(message).toMatch(expected.message)
  })
})

describe('mp-alipay with wrong keys on either side', () => {
  const wrongKey = generateKeyPairSync('rsa', { modulusLength: 2048 })

  describe('the app signs with a private key Alipay does not know', () => {
    const harness = useAllTargets({ env: { ALIPAY_PRIVATE_KEY: wrongKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } })
    it('is refused by the gateway: PROVIDER_SIGNATURE_INVALID naming the private key', async () => {
      const message = expectError(await login(harness(), { code: 'mock-sun.1', platform: 'mp-alipay' }), 502, 'PROVIDER_SIGNATURE_INVALID')
      expect(message).toMatch(/private key/)
    })
  })

  describe("the backend holds another key as Alipay's public key", () => {
    const harness = useAllTargets({
      envFromMock: () => ({ ALIPAY_PUBLIC_KEY: wrongKey.publicKey.export({ type: 'spki', format: 'pem' }).toString() }),
    })
    it("refuses the gateway's genuine answer: PROVIDER_SIGNATURE_INVALID", async () => {
      expectError(await login(harness(), { code: 'mock-zhou.1', platform: 'mp-alipay' }), 502, 'PROVIDER_SIGNATURE_INVALID')
      // A signed error answer is verified too: a forged "invalid code" cannot pass either.
      expectError(await login(harness(), { code: 'never-issued', platform: 'mp-alipay' }), 502, 'PROVIDER_SIGNATURE_INVALID')
    })
  })
})

describe('alipayProvider against an app created before 2023 (user_id)', () => {
  const APPID = '2019000000000001'
  let mock: MockWechat
  let gateway: string
  /** The bare base64 body, as Alipay's key tool writes it (PKCS#1 here). */
  let bareBody = ''

  beforeAll(async () => {
    const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 })
    bareBody = appKeys.privateKey.export({ type: 'pkcs1', format: 'der' }).toString('base64')
    mock = buildMockWechat({
      alipaySubject: 'user_id',
      alipayApps: [{ appId: APPID, appPublicKey: appKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
    })
    gateway = `${await mock.app.listen({ host: '127.0.0.1', port: 0 })}/gateway.do`
  })
  afterAll(() => mock.app.close())

  const provider = (now?: () => number) =>
    alipayProvider(
      {
        apps: [
          {
            appId: APPID,
            privateKey: bareBody,
            alipayPublicKey: mock.alipay.alipayPublicKey,
          },
        ],
        apiBase: gateway,
        timeoutMs: 2000,
      },
      now,
    )

  it('takes user_id when open_id is absent, and signs with a bare PKCS#1 key', async () => {
    const identity = await provider().exchange('mock-old.1', APPID)
    expect(identity).toEqual({ provider: 'alipay', platform: 'mp-alipay', appId: APPID, subject: expect.stringMatching(/^mock_alipay_/) })
    await expect(provider().exchange('mock-old.1', APPID)).rejects.toMatchObject({ code: 'PROVIDER_CODE_INVALID' })
  })

  it('is refused by the gateway when its clock is off by more than 15 minutes (the timestamp is Beijing time)', async () => {
    await expect(provider(() => Date.now() - 20 * 60_000).exchange('mock-old.2', APPID)).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      providerCode: 'isv.invalid-timestamp',
    })
    expect((await provider().exchange('mock-old.2', APPID)).subject).toMatch(/^mock_alipay_/)
  })
})
