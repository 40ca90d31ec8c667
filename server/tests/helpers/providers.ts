import { generateKeyPairSync } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, expect } from 'vitest'
import { MOCK_QQ_PREFIX } from '../../mock-wechat/qq-routes.js'
import { type Harness, type HarnessOptions, useHarness } from './harness.js'

export const H5_APPID = 'wx00000000000h5app'
export const H5_SECRET = 'h5-secret-0123456789abcdef'
export const H5_APPID_2 = 'wx00000000000h5two'
export const H5_SECRET_2 = 'h5-secret-two-0123456789'
export const APP_APPID = 'wx0000000000appapp'
export const APP_SECRET = 'app-secret-0123456789abcdef'
export const WEB_APPID = 'wx0000000000webapp'
export const WEB_SECRET = 'web-secret-0123456789abcdef'
export const MP2_APPID = 'wx000000000mp2app'
export const MP2_SECRET = 'mp2-secret-0123456789abcdef'
export const DOUYIN_APPID = 'tt00000000000test1'
export const DOUYIN_SECRET = 'douyin-secret-0123456789abcdef'
export const ALIPAY_APPID = '2021000000000042'
export const QQ_APPID = '1109000000'
export const QQ_SECRET = 'qq-secret-0123456789abcdef'

/** The test Alipay app's key pair: the backend signs with the private key, the mock verifies with the public one. */
export const alipayAppKeys = generateKeyPairSync('rsa', { modulusLength: 2048 })
export const alipayAppPrivatePem = alipayAppKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const alipayAppPublicPem = alipayAppKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString()

/**
 * A backend with every target configured against one mock. Upstream timeouts are short for the
 * hang faults, yet long enough for a loaded machine running several logins at once.
 */
export function allTargets(extra: Partial<HarnessOptions> = {}): HarnessOptions {
  return {
    ...extra,
    env: {
      WX_TIMEOUT_MS: '1500',
      WX_H5_APPID: `${H5_APPID},${H5_APPID_2}`,
      WX_H5_SECRET: `${H5_SECRET},${H5_SECRET_2}`,
      WX_APP_APPID: APP_APPID,
      WX_APP_SECRET: APP_SECRET,
      WX_WEB_APPID: WEB_APPID,
      WX_WEB_SECRET: WEB_SECRET,
      DOUYIN_APPID,
      DOUYIN_SECRET,
      DOUYIN_TIMEOUT_MS: '1500',
      ALIPAY_APPID,
      ALIPAY_PRIVATE_KEY: alipayAppPrivatePem,
      ALIPAY_TIMEOUT_MS: '1500',
      QQ_APPID,
      QQ_SECRET,
      QQ_TIMEOUT_MS: '1500',
      ...extra.env,
    },
    envFromMock: (mock, mockUrl) => ({
      ALIPAY_PUBLIC_KEY: mock.alipay.alipayPublicKey,
      ALIPAY_GATEWAY: `${mockUrl}/gateway.do`,
      DOUYIN_API_BASE: mockUrl,
      QQ_API_BASE: `${mockUrl}${MOCK_QQ_PREFIX}`,
      ...extra.envFromMock?.(mock, mockUrl),
    }),
    mock: {
      wechatApps: [
        { appId: H5_APPID, secret: H5_SECRET },
        { appId: H5_APPID_2, secret: H5_SECRET_2 },
        { appId: APP_APPID, secret: APP_SECRET },
        { appId: WEB_APPID, secret: WEB_SECRET },
        { appId: MP2_APPID, secret: MP2_SECRET },
      ],
      douyinApps: [{ appId: DOUYIN_APPID, secret: DOUYIN_SECRET }],
      qqApps: [{ appId: QQ_APPID, secret: QQ_SECRET }],
      alipayApps: [{ appId: ALIPAY_APPID, appPublicKey: alipayAppPublicPem }],
      ...extra.mock,
    },
  }
}

export function login(harness: Harness, payload: Record<string, unknown>, remoteAddress = '127.0.0.1'): Promise<LightMyRequestResponse> {
  return harness.inject({ method: 'POST', url: '/auth/login', payload, remoteAddress })
}

/** Asserts a `{ code, message }` error answer and returns its message. */
export function expectError(response: LightMyRequestResponse, status: number, code: string): string {
  expect(response.statusCode, response.body).toBe(status)
  const body = response.json<{ code: string; message: string }>()
  expect(body).toEqual({ code, message: expect.any(String) })
  return body.message
}

/** The secrets of the other targets: like the mini-program's, they must never reach a response or a log line. */
function targetSecrets(): string[] {
  const keyBody = alipayAppPrivatePem.split('\n').filter((line) => line && !line.startsWith('-----'))
  return [H5_SECRET, H5_SECRET_2, APP_SECRET, WEB_SECRET, DOUYIN_SECRET, QQ_SECRET, ...keyBody]
}

/** `useHarness(allTargets(extra))`, checking at the end that no other target's secret leaked either. */
export function useAllTargets(extra: Partial<HarnessOptions> = {}): () => Harness {
  const harness = useHarness(allTargets(extra))
  // Registered after useHarness's own afterAll, so it runs first, while the harness is open.
  afterAll(() => {
    const haystacks = [...harness().responses, harness().logText()]
    for (const secret of targetSecrets()) for (const text of haystacks) expect(text).not.toContain(secret)
  })
  return harness
}
