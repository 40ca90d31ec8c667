import { createSign, createVerify, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { MockContext } from './context.js'

export interface KeyPairs {
  /** The gateway's public key (支付宝公钥), PEM: what the backend verifies answers with. */
  alipayPublicKey: string
  /** The default dev app's id and private key (PEM), when the mock generated that app. */
  appId: string
  appPrivateKey: string | undefined
}

export const MOCK_ALIPAY_APPID = '2021000000000001'

const METHOD = 'alipay.system.oauth.token'
const RESPONSE_NODE = 'alipay_system_oauth_token_response'

// Written apart from the backend's src/providers/alipay-sign.ts on purpose: the mock checks the
// backend's signing against its own reading of Alipay's rules, not against the same code.
function signedText(params: Record<string, string>): string {
  return Object.entries(params)
    .filter(([key, value]) => key !== 'sign' && value.length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&')
}

/** Beijing time `yyyy-MM-dd HH:mm:ss` → epoch ms, or NaN. */
function beijingTime(text: string | undefined): number {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text ?? '')
  if (!match) return Number.NaN
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number]
  return Date.UTC(y, mo - 1, d, h - 8, mi, s)
}

function pem(key: KeyObject): string {
  const exported = key.type === 'private' ? key.export({ type: 'pkcs8', format: 'pem' }) : key.export({ type: 'spki', format: 'pem' })
  return exported.toString()
}

interface MockKeys {
  gateway: { publicKey: KeyObject; privateKey: KeyObject }
  /** Signs answers for the `badSignature` fault. */
  impostor: KeyObject
  devApp: { publicKey: KeyObject; privateKey: KeyObject }
}

let keys: MockKeys | undefined

/**
 * Made on first use and shared by every mock in the process: a 2048-bit RSA key takes about half
 * a second to generate, and most tests never touch Alipay.
 */
function mockKeys(): MockKeys {
  const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 })
  keys ??= { gateway: rsa(), impostor: rsa().privateKey, devApp: rsa() }
  return keys
}

/**
 * A mock Alipay OpenAPI gateway (`POST /gateway.do`, form-encoded) for `alipay.system.oauth.token`:
 * it refuses a request whose RSA2 signature does not verify with the app's public key, and signs
 * every answer (but `isv.invalid-signature`, as Alipay) with its own key (made on first use).
 */
export function registerAlipayGateway(
  app: FastifyInstance,
  context: MockContext,
  options: { apps?: Array<{ appId: string; appPublicKey: string }> | undefined; subject: 'open_id' | 'user_id' },
): KeyPairs {
  const given = options.apps && new Map(options.apps.map((entry) => [entry.appId, entry.appPublicKey]))
  const appPublicKey = (appId: string | undefined): KeyObject | string | undefined =>
    given ? given.get(appId ?? '') : appId === MOCK_ALIPAY_APPID ? mockKeys().devApp.publicKey : undefined
  const { state, now } = context

  const answer = (node: string, body: Record<string, unknown>, key = mockKeys().gateway.privateKey, signed = true) => {
    const json = JSON.stringify(body)
    const sign = createSign('RSA-SHA256').update(json, 'utf8').sign(key, 'base64')
    return `{"${node}":${json}${signed ? `,"sign":"${sign}"` : ''}}`
  }
  const failure = (code: string, msg: string, subCode: string, signed = true) =>
    answer('error_response', { code, msg, sub_code: subCode, sub_msg: `mock: ${subCode}` }, mockKeys().gateway.privateKey, signed)

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })

  app.post<{ Body: Record<string, string> | null; Querystring: Record<string, string> }>('/gateway.do', async (request, reply) => {
    void reply.type('application/json; charset=utf-8')
    const fault = await context.playFault('alipay_gateway', reply)
    if (fault === true) return reply
    const params = { ...request.query, ...(request.body ?? {}) }
    if (params.method !== METHOD) return failure('40004', 'Business Failed', 'isv.invalid-method')
    const publicKey = appPublicKey(params.app_id)
    if (!publicKey) return failure('40002', 'Invalid Arguments', 'isv.invalid-app-id')
    if (params.sign_type !== 'RSA2') return failure('40002', 'Invalid Arguments', 'isv.invalid-signature-type')
    const signatureOk =
      typeof params.sign === 'string' &&
      createVerify('RSA-SHA256').update(signedText(params), 'utf8').verify(publicKey, params.sign, 'base64')
    if (!signatureOk) return failure('40002', 'Invalid Arguments', 'isv.invalid-signature', false)
    if (!(Math.abs(beijingTime(params.timestamp) - now()) <= 15 * 60_000)) {
      return failure('40002', 'Invalid Arguments', 'isv.invalid-timestamp')
    }
    if (params.grant_type !== 'authorization_code') return failure('40002', 'Invalid Arguments', 'isv.grant-type-invalid')
    if (typeof fault === 'object' && fault.subCode)
      return failure(fault.subCode.startsWith('isp.') ? '20000' : '40002', 'mock fault', fault.subCode)
    const entry = state.usableLoginCode('alipay', params.code, params.app_id ?? '')
    if (!entry || entry.used) return failure('40002', 'Invalid Arguments', 'isv.code-invalid')
    entry.used = true
    const { subject } = state.identityOf(entry, params.app_id ?? '')
    const node = {
      [options.subject]: subject,
      access_token: `mock-alipay-at-${randomBytes(12).toString('hex')}`,
      expires_in: 1296000,
      refresh_token: `mock-alipay-rt-${randomBytes(12).toString('hex')}`,
      re_expires_in: 2592000,
      auth_start: new Date(now()).toISOString(),
    }
    return answer(RESPONSE_NODE, node, typeof fault === 'object' && fault.badSignature ? mockKeys().impostor : undefined)
  })

  const exposed: KeyPairs = {
    get alipayPublicKey() {
      return pem(mockKeys().gateway.publicKey)
    },
    appId: options.apps?.[0]?.appId ?? MOCK_ALIPAY_APPID,
    get appPrivateKey() {
      return given ? undefined : pem(mockKeys().devApp.privateKey)
    },
  }
  // Not part of Alipay: the demo reads the keys to configure the backend (test keys).
  app.get('/__alipay/keys', async () => ({ ...exposed }))
  return exposed
}
