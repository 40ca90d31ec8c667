import { type Clock, systemClock } from '../base/clock.js'
import { HttpAuthError } from '../base/errors.js'
import type { KeyObject } from 'node:crypto'
import {
  alipaySignContent,
  alipayTimestamp,
  parseRsaPrivateKey,
  parseRsaPublicKey,
  rawJsonMember,
  rsa2Sign,
  rsa2Verify,
} from './alipay-sign.js'
import type { AlipayAppOptions, ResolvedTarget } from './options.js'
import { parseProviderJson, providerFetchText } from './provider-fetch.js'
import type { ExchangedIdentity, IdentityProvider } from './types.js'

const METHOD = 'alipay.system.oauth.token'
const RESPONSE_NODE = 'alipay_system_oauth_token_response'
const ERROR_NODE = 'error_response'
const LABEL = `Alipay ${METHOD}`

interface AlipayNode {
  code?: string
  msg?: string
  sub_code?: string
  sub_msg?: string
  /** The user's id for apps created since 2023 (OpenID mode). */
  open_id?: string
  /** The user's id (2088…) for older apps. */
  user_id?: string
}

type AlipayAnswer = { sign?: string } & Record<string, unknown>

function alipayError(node: AlipayNode): HttpAuthError {
  const providerCode = node.sub_code ?? node.code
  const options = providerCode === undefined ? {} : { providerCode }
  const sub = node.sub_code ?? ''
  if (sub === 'isv.code-invalid') {
    return new HttpAuthError(
      'PROVIDER_CODE_INVALID',
      'The Alipay auth code is invalid, expired or used; call my.getAuthCode again',
      options,
    )
  }
  if (sub === 'isv.invalid-signature') {
    return new HttpAuthError(
      'PROVIDER_SIGNATURE_INVALID',
      "Alipay refused our request signature: the app private key does not match the app public key uploaded to Alipay's console",
      options,
    )
  }
  if (sub.endsWith('call-limited')) return new HttpAuthError('PROVIDER_RATE_LIMITED', 'Alipay rate limit reached; retry later', options)
  if (node.code === '20000' || sub.startsWith('isp.') || sub.startsWith('aop.unknow')) {
    return new HttpAuthError('PROVIDER_UNAVAILABLE', 'Alipay is unavailable; retry later', options)
  }
  return new HttpAuthError('PROVIDER_ERROR', `Alipay refused the exchange (${providerCode ?? 'no code'})`, options)
}

/** The answer's member `name`, its signature checked over the exact bytes Alipay signed. */
function verifiedNode(raw: string, answer: AlipayAnswer, name: string, key: KeyObject): AlipayNode {
  const content = rawJsonMember(raw, name)
  if (content === undefined || typeof answer.sign !== 'string' || !rsa2Verify(content, answer.sign, key)) {
    throw new HttpAuthError(
      'PROVIDER_SIGNATURE_INVALID',
      "Alipay's answer failed signature verification: check the Alipay public key (支付宝公钥, not the app's own public key)",
    )
  }
  return answer[name] as AlipayNode
}

/**
 * mp-alipay: `my.getAuthCode` code → `alipay.system.oauth.token` on the OpenAPI gateway, the
 * request signed RSA2 with the app's private key and every answer verified with Alipay's public
 * key (an unsigned error answer is accepted: it can only make the login fail).
 */
export function alipayProvider(target: ResolvedTarget<AlipayAppOptions>, now: Clock = systemClock): IdentityProvider {
  const apps = new Map(
    target.apps.map((app) => [
      app.appId,
      {
        privateKey: parseRsaPrivateKey(app.privateKey, `mp-alipay ${app.appId} privateKey`),
        alipayPublicKey: parseRsaPublicKey(app.alipayPublicKey, `mp-alipay ${app.appId} alipayPublicKey`),
      },
    ]),
  )
  return {
    platform: 'mp-alipay',
    appIds: [...apps.keys()],
    async exchange(code, appId): Promise<ExchangedIdentity> {
      const app = apps.get(appId)
      if (!app) throw new Error(`mp-alipay provider asked for unknown AppID ${appId}`)
      const params: Record<string, string> = {
        app_id: appId,
        method: METHOD,
        format: 'JSON',
        charset: 'utf-8',
        sign_type: 'RSA2',
        timestamp: alipayTimestamp(now()),
        version: '1.0',
        grant_type: 'authorization_code',
        code,
      }
      params.sign = rsa2Sign(alipaySignContent(params), app.privateKey)
      const raw = await providerFetchText(target.apiBase, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body: new URLSearchParams(params).toString(),
        timeoutMs: target.timeoutMs,
        label: LABEL,
      })
      const answer = parseProviderJson<AlipayAnswer>(raw, LABEL)
      if (answer[RESPONSE_NODE] !== undefined) {
        const node = verifiedNode(raw, answer, RESPONSE_NODE, app.alipayPublicKey)
        if (node.code !== undefined && node.code !== '10000') throw alipayError(node)
        const subject = node.open_id || node.user_id
        if (!subject) throw new HttpAuthError('PROVIDER_ERROR', `${LABEL} answered without open_id or user_id`)
        return { provider: 'alipay', platform: 'mp-alipay', appId, subject }
      }
      if (answer[ERROR_NODE] !== undefined) {
        const node =
          answer.sign === undefined ? (answer[ERROR_NODE] as AlipayNode) : verifiedNode(raw, answer, ERROR_NODE, app.alipayPublicKey)
        throw alipayError(node)
      }
      throw new HttpAuthError('PROVIDER_ERROR', `${LABEL} answered neither ${RESPONSE_NODE} nor ${ERROR_NODE}`)
    },
  }
}
