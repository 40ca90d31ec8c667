import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto'
import { ConfigError } from '../base/errors.js'

/**
 * Alipay OpenAPI signatures (RSA2 = SHA256withRSA), written on node:crypto: the official
 * `alipay-sdk` would bring urllib and eight more packages into the server for these few lines.
 */

/** The text Alipay signs: every non-empty parameter except `sign`, sorted by name, as `k=v` joined by `&`, not URL-encoded. */
export function alipaySignContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&')
}

export function rsa2Sign(content: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64')
}

export function rsa2Verify(content: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKey, signature, 'base64')
  } catch {
    return false
  }
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8, no daylight saving), as the gateway expects. */
export function alipayTimestamp(nowMs: number): string {
  const beijing = new Date(nowMs + 8 * 3600_000).toISOString()
  return `${beijing.slice(0, 10)} ${beijing.slice(11, 19)}`
}

/**
 * The exact text of a top-level member's JSON value (`{…}`) in a raw answer: Alipay signs these
 * bytes, so they must not be re-serialized. Skips braces inside strings. `undefined` when absent.
 */
export function rawJsonMember(raw: string, name: string): string | undefined {
  const key = raw.indexOf(`"${name}"`)
  if (key < 0) return undefined
  const start = raw.indexOf('{', key + name.length + 2)
  if (start < 0 || raw.slice(key + name.length + 2, start).trim() !== ':') return undefined
  let depth = 0
  let inString = false
  for (let i = start; i < raw.length; i += 1) {
    const char = raw[i]
    if (inString) {
      if (char === '\\') i += 1
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '{') depth += 1
    else if (char === '}') {
      depth -= 1
      if (depth === 0) return raw.slice(start, i + 1)
    }
  }
  return undefined
}

/** Accepts PEM, or the bare base64 body Alipay's key tool writes; `\n` written as two characters (env files) too. */
function pemBodies(text: string): { pem: string } | { der: Buffer } {
  const cleaned = text.replace(/\\n/g, '\n').trim()
  if (cleaned.startsWith('-----BEGIN')) return { pem: cleaned }
  return { der: Buffer.from(cleaned.replace(/\s+/g, ''), 'base64') }
}

function asRsa(key: KeyObject, where: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') throw new ConfigError(`${where} is a ${key.asymmetricKeyType} key; Alipay RSA2 needs an RSA key`)
  return key
}

export function parseRsaPrivateKey(text: string, where: string): KeyObject {
  const body = pemBodies(text)
  const attempts =
    'pem' in body
      ? [() => createPrivateKey(body.pem)]
      : [
          () => createPrivateKey({ key: body.der, format: 'der', type: 'pkcs8' }),
          () => createPrivateKey({ key: body.der, format: 'der', type: 'pkcs1' }),
        ]
  for (const attempt of attempts) {
    try {
      return asRsa(attempt(), where)
    } catch (error) {
      if (error instanceof ConfigError) throw error
    }
  }
  throw new ConfigError(
    `${where} is not an RSA private key: give the PEM text or the base64 body from Alipay's key tool (PKCS#8 or PKCS#1)`,
  )
}

export function parseRsaPublicKey(text: string, where: string): KeyObject {
  const body = pemBodies(text)
  // createPublicKey would accept a private key and derive its public half: the app's own key pasted
  // here by mistake would then fail every answer's verification instead of failing at start.
  if ('pem' in body && body.pem.includes('PRIVATE KEY')) {
    throw new ConfigError(`${where} is a private key; give Alipay's public key (支付宝公钥) from the app console`)
  }
  try {
    const key = 'pem' in body ? createPublicKey(body.pem) : createPublicKey({ key: body.der, format: 'der', type: 'spki' })
    return asRsa(key, where)
  } catch (error) {
    if (error instanceof ConfigError) throw error
    throw new ConfigError(`${where} is not an RSA public key: give Alipay's public key (支付宝公钥) as PEM or its base64 body`)
  }
}
