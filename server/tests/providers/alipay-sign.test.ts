import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { alipaySignContent, alipayTimestamp, rawJsonMember, rsa2Sign, rsa2Verify } from '../../src/providers/alipay-sign.js'

describe('Alipay RSA2 helpers', () => {
  it('signs every non-empty parameter but sign, sorted by name, unencoded', () => {
    expect(alipaySignContent({ method: 'a.b', sign: 'x', app_id: '2021', code: '', biz_content: '{"k":"v&w"}', charset: 'utf-8' })).toBe(
      'app_id=2021&biz_content={"k":"v&w"}&charset=utf-8&method=a.b',
    )
    // Byte order, not locale order: upper case sorts before lower case.
    expect(alipaySignContent({ b: '1', B: '2', a_c: '3', ab: '4' })).toBe('B=2&a_c=3&ab=4&b=1')
  })

  it('writes the timestamp in Beijing time', () => {
    expect(alipayTimestamp(Date.UTC(2026, 11, 31, 17, 4, 5))).toBe('2027-01-01 01:04:05')
  })

  it('cuts the exact signed text of a member out of the raw answer, braces inside strings included', () => {
    const node = '{"user_id":"2088","note":"a } b { \\" }","nested":{"x":1}}'
    const raw = `{"alipay_system_oauth_token_response" : ${node},"sign":"abc"}`
    expect(rawJsonMember(raw, 'alipay_system_oauth_token_response')).toBe(node)
    expect(rawJsonMember(raw, 'error_response')).toBeUndefined()
    expect(rawJsonMember('{"error_response":"text"}', 'error_response')).toBeUndefined()
    expect(rawJsonMember('{"error_response":{"unclosed":1', 'error_response')).toBeUndefined()
  })

  it('verifies what it signed and nothing else', () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const signature = rsa2Sign('a=1&b=2', keys.privateKey)
    expect(rsa2Verify('a=1&b=2', signature, keys.publicKey)).toBe(true)
    expect(rsa2Verify('a=1&b=3', signature, keys.publicKey)).toBe(false)
    expect(rsa2Verify('a=1&b=2', 'not base64 at all', keys.publicKey)).toBe(false)
  })
})
