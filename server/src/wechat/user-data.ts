import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto'
import { HttpAuthError } from '../base/errors.js'

/**
 * Checks the `signature` wx.getUserInfo returns: sha1(rawData + session_key), hex.
 * Constant-time compare so the signature cannot be guessed byte by byte.
 */
export function verifyRawDataSignature(rawData: string, signature: string, sessionKey: string): boolean {
  const expected = createHash('sha1')
    .update(rawData + sessionKey, 'utf8')
    .digest()
  const given = Buffer.from(signature, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export interface Watermark {
  appid: string
  timestamp: number
}

/**
 * Decrypts WeChat `encryptedData` (AES-128-CBC, PKCS#7, key = session_key, iv, all base64)
 * and refuses data whose `watermark.appid` names another app: a payload encrypted for one
 * mini-program must not be replayable against another.
 */
export function decryptUserData<T extends { watermark: Watermark }>(
  encryptedData: string,
  iv: string,
  sessionKey: string,
  appId: string,
): T {
  const key = Buffer.from(sessionKey, 'base64')
  const ivBytes = Buffer.from(iv, 'base64')
  if (key.length !== 16 || ivBytes.length !== 16) {
    throw new HttpAuthError('WX_DATA_INVALID', 'session_key and iv must both decode to 16 bytes')
  }
  let parsed: unknown
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, ivBytes)
    const plain = Buffer.concat([decipher.update(Buffer.from(encryptedData, 'base64')), decipher.final()])
    parsed = JSON.parse(plain.toString('utf8'))
  } catch {
    // Wrong key, wrong iv or tampered data all end here; the reason is not the caller's business.
    throw new HttpAuthError('WX_DATA_INVALID', 'encryptedData could not be decrypted')
  }
  const watermark = (parsed as { watermark?: Partial<Watermark> } | null)?.watermark
  if (!watermark || watermark.appid !== appId) {
    throw new HttpAuthError('WX_DATA_INVALID', 'encryptedData watermark does not match this app')
  }
  return parsed as T
}
