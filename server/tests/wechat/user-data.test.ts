import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decryptUserData, verifyRawDataSignature } from '../../src/wechat/user-data.js'

// WeChat's documented decryption example (open-data decryption docs).
const DOC = {
  appId: 'wx4f4bc4dec97d474b',
  sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==',
  iv: 'r7BXXKkLb8qrSNn05n0qiA==',
  encryptedData:
    'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==',
}

function encrypt(plain: object, key: Buffer, iv: Buffer): string {
  const cipher = createCipheriv('aes-128-cbc', key, iv)
  return Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]).toString('base64')
}

describe('decryptUserData', () => {
  it("decrypts WeChat's documented example", () => {
    const data = decryptUserData<{ openId: string; nickName: string; watermark: { appid: string; timestamp: number } }>(
      DOC.encryptedData,
      DOC.iv,
      DOC.sessionKey,
      DOC.appId,
    )
    expect(data.openId).toBe('oGZUI0egBJY1zhBYw2KhdUfwVJJE')
    expect(data.nickName).toBe('Band')
    expect(data.watermark).toEqual({ timestamp: 1477314187, appid: 'wx4f4bc4dec97d474b' })
  })

  it('round-trips data encrypted with node:crypto', () => {
    const key = randomBytes(16)
    const iv = randomBytes(16)
    const payload = { phoneNumber: '13800138000', watermark: { appid: 'wxmine', timestamp: 1 } }
    const encrypted = encrypt(payload, key, iv)
    expect(decryptUserData(encrypted, iv.toString('base64'), key.toString('base64'), 'wxmine')).toEqual(payload)
  })

  it('rejects a watermark naming another app', () => {
    expect(() => decryptUserData(DOC.encryptedData, DOC.iv, DOC.sessionKey, 'wx-another-app')).toThrow(
      expect.objectContaining({ code: 'WX_DATA_INVALID', message: expect.stringContaining('watermark') }),
    )
  })

  it('rejects data without a watermark', () => {
    const key = randomBytes(16)
    const iv = randomBytes(16)
    const encrypted = encrypt({ phoneNumber: '1' }, key, iv)
    expect(() => decryptUserData(encrypted, iv.toString('base64'), key.toString('base64'), 'wxmine')).toThrow(
      expect.objectContaining({ code: 'WX_DATA_INVALID' }),
    )
  })

  it('rejects a wrong session_key, a wrong iv and tampered data', () => {
    const wrongKey = randomBytes(16).toString('base64')
    const tampered = Buffer.from(DOC.encryptedData, 'base64')
    tampered[tampered.length - 1]! ^= 0xff
    for (const [data, iv, key] of [
      [DOC.encryptedData, DOC.iv, wrongKey],
      [DOC.encryptedData, randomBytes(16).toString('base64'), DOC.sessionKey],
      [tampered.toString('base64'), DOC.iv, DOC.sessionKey],
      [DOC.encryptedData, DOC.iv, 'c2hvcnQ='],
    ] as const) {
      expect(() => decryptUserData(data, iv, key, DOC.appId)).toThrow(expect.objectContaining({ code: 'WX_DATA_INVALID' }))
    }
  })
})

describe('verifyRawDataSignature', () => {
  const rawData = '{"nickName":"Band","gender":1,"language":"zh_CN"}'

  it('accepts sha1(rawData + session_key) — fixed vector', () => {
    // Computed once with node:crypto and frozen here, so a change to the helper is caught.
    expect(verifyRawDataSignature(rawData, '9cc155cad9974b66911e4e644c93b4f3c7200a73', DOC.sessionKey)).toBe(true)
  })

  it('accepts a freshly computed signature', () => {
    const key = randomBytes(16).toString('base64')
    const signature = createHash('sha1')
      .update(rawData + key)
      .digest('hex')
    expect(verifyRawDataSignature(rawData, signature, key)).toBe(true)
  })

  it('rejects a wrong key, altered data and malformed signatures', () => {
    const good = '9cc155cad9974b66911e4e644c93b4f3c7200a73'
    expect(verifyRawDataSignature(rawData, good, randomBytes(16).toString('base64'))).toBe(false)
    expect(verifyRawDataSignature(rawData.replace('Band', 'Evil'), good, DOC.sessionKey)).toBe(false)
    expect(verifyRawDataSignature(rawData, good.slice(0, 20), DOC.sessionKey)).toBe(false)
    expect(verifyRawDataSignature(rawData, 'zz', DOC.sessionKey)).toBe(false)
  })
})
