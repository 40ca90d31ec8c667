import { generateKeyPairSync } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { HttpAuthError } from '../../src/base/errors.js'
import { alipayProvider } from '../../src/providers/alipay.js'
import { rsa2Sign } from '../../src/providers/alipay-sign.js'
import { douyinProvider } from '../../src/providers/douyin.js'
import { qqProvider } from '../../src/providers/qq.js'
import type { IdentityProvider } from '../../src/providers/types.js'
import { wechatOAuthProvider } from '../../src/wechat/oauth-provider.js'

// Each provider against a stub vendor that answers exactly what a test sets: the answers and
// request shapes the mock never produces (a missing openid, errcode 0, unsigned or unfindable
// Alipay members …), asserted down to the error's message and vendor code.

interface Seen {
  method: string
  url: string
  body: string
}

let server: Server
let base: string
let answer: { status: number; text: string } = { status: 200, text: '{}' }
let seen: Seen | undefined

const read = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = ''
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8')
    })
    request.on('end', () => resolve(text))
  })

beforeAll(async () => {
  server = createServer(async (request, response) => {
    seen = { method: request.method ?? '', url: request.url ?? '', body: await read(request) }
    response.writeHead(answer.status, { 'content-type': 'application/json' })
    response.end(answer.text)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => {
  seen = undefined
})

const answers = (body: unknown, status = 200) => {
  answer = { status, text: typeof body === 'string' ? body : JSON.stringify(body) }
}

async function failure(provider: IdentityProvider, appId: string): Promise<HttpAuthError> {
  const error = await provider.exchange('the-code', appId).then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(HttpAuthError)
  return error as HttpAuthError
}

describe('douyinProvider', () => {
  const douyin = () => douyinProvider({ apps: [{ appId: 'tt1', secret: 'st' }], apiBase: base, timeoutMs: 2000 })

  it('posts the documented JSON and returns the whole identity (err_no absent or 0)', async () => {
    answers({ data: { openid: 'tt-open', session_key: 'sk', unionid: 'tt-union' } })
    expect(await douyin().exchange('c1', 'tt1')).toEqual({
      provider: 'toutiao',
      platform: 'mp-toutiao',
      appId: 'tt1',
      subject: 'tt-open',
      unionid: 'tt-union',
      sessionKey: 'sk',
    })
    expect(seen?.method).toBe('POST')
    expect(seen?.url).toBe('/api/apps/v2/jscode2session')
    expect(JSON.parse(seen?.body ?? '')).toEqual({ appid: 'tt1', secret: 'st', code: 'c1', anonymous_code: '' })
    answers({ err_no: 0, data: { openid: 'tt-open', session_key: 'sk', unionid: '' } })
    expect(await douyin().exchange('c2', 'tt1')).toEqual({
      provider: 'toutiao',
      platform: 'mp-toutiao',
      appId: 'tt1',
      subject: 'tt-open',
      sessionKey: 'sk',
    })
  })

  it.each([
    [-1, 'PROVIDER_UNAVAILABLE', 'Douyin is busy; retry later'],
    [40015, 'PROVIDER_ERROR', 'Douyin refused the exchange (err_no 40015)'],
    [40018, 'PROVIDER_CODE_INVALID', 'The Douyin login code is invalid, expired or used; call tt.login again'],
  ])('err_no %i → %s, keeping the vendor code for the logs', async (errNo, code, message) => {
    answers({ err_no: errNo, err_tips: 'x', data: null })
    expect(await failure(douyin(), 'tt1')).toMatchObject({ code, message, providerCode: String(errNo) })
  })

  it.each([
    ['no data', { err_no: 0, data: null }],
    ['no openid', { data: { session_key: 'sk' } }],
    ['no session_key', { data: { openid: 'tt-open' } }],
  ])('an answer with %s is PROVIDER_ERROR', async (_name, body) => {
    answers(body)
    expect(await failure(douyin(), 'tt1')).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: 'Douyin jscode2session answered without openid or session_key',
    })
  })

  it('refuses an AppID it was not configured with', async () => {
    await expect(douyin().exchange('c', 'tt-other')).rejects.toThrow('mp-toutiao provider asked for unknown AppID tt-other')
  })
})

describe('qqProvider', () => {
  const qq = () => qqProvider({ apps: [{ appId: '1101', secret: 'sq' }], apiBase: `${base}/qq`, timeoutMs: 2000 })

  it('GETs WeChat-shaped jscode2session and returns the whole identity', async () => {
    answers({ errcode: 0, errmsg: 'ok', openid: 'qq-open', session_key: 'sk', unionid: 'qq-union' })
    expect(await qq().exchange('c1', '1101')).toEqual({
      provider: 'qq',
      platform: 'mp-qq',
      appId: '1101',
      subject: 'qq-open',
      unionid: 'qq-union',
      sessionKey: 'sk',
    })
    expect(seen?.method).toBe('GET')
    expect(seen?.url).toBe('/qq/sns/jscode2session?appid=1101&secret=sq&js_code=c1&grant_type=authorization_code')
  })

  it.each([
    [40029, 'PROVIDER_CODE_INVALID', 'The QQ login code is invalid or expired; call qq.login again'],
    [40163, 'PROVIDER_CODE_USED', 'The QQ login code has already been used; call qq.login again'],
    [45011, 'PROVIDER_RATE_LIMITED', 'QQ rate limit reached; retry later'],
    [-1, 'PROVIDER_UNAVAILABLE', 'QQ is busy; retry later'],
    [40013, 'PROVIDER_ERROR', 'QQ refused the exchange (errcode 40013)'],
  ])('errcode %i → %s, keeping the vendor code for the logs', async (errcode, code, message) => {
    answers({ errcode, errmsg: 'x' })
    expect(await failure(qq(), '1101')).toMatchObject({ code, message, providerCode: String(errcode) })
  })

  it.each([
    ['no openid', { session_key: 'sk' }],
    ['no session_key', { openid: 'qq-open' }],
  ])('an answer with %s is PROVIDER_ERROR', async (_name, body) => {
    answers(body)
    expect(await failure(qq(), '1101')).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: 'QQ jscode2session answered without openid or session_key',
    })
  })

  it('refuses an AppID it was not configured with', async () => {
    await expect(qq().exchange('c', '9999')).rejects.toThrow('mp-qq provider asked for unknown AppID 9999')
  })
})

describe('wechatOAuthProvider', () => {
  const h5 = () => wechatOAuthProvider('h5-weixin', { apps: [{ appId: 'wx-h5', secret: 'sh' }], apiBase: base, timeoutMs: 2000 })

  it('takes errcode 0 as success, and names the endpoint in transport errors', async () => {
    answers({ errcode: 0, openid: 'o-h5', access_token: 'user-at' })
    expect(await h5().exchange('c1', 'wx-h5')).toEqual({ provider: 'weixin', platform: 'h5-weixin', appId: 'wx-h5', subject: 'o-h5' })
    expect(seen?.url).toBe('/sns/oauth2/access_token?appid=wx-h5&secret=sh&code=c1&grant_type=authorization_code')
    answers('<html>down</html>', 500)
    expect(await failure(h5(), 'wx-h5')).toMatchObject({ code: 'WX_UNAVAILABLE', message: 'WeChat oauth2/access_token answered HTTP 500' })
  })

  it('an answer without openid is WX_ERROR; an unconfigured AppID a programming error', async () => {
    answers({ access_token: 'user-at' })
    expect(await failure(h5(), 'wx-h5')).toMatchObject({ code: 'WX_ERROR', message: 'WeChat oauth2/access_token answered without openid' })
    await expect(h5().exchange('c', 'wx-other')).rejects.toThrow('h5-weixin provider asked for unknown AppID wx-other')
  })
})

describe('alipayProvider', () => {
  const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const gatewayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = (key: { export(options: { type: 'pkcs8' | 'spki'; format: 'pem' }): string | Buffer }, type: 'pkcs8' | 'spki') =>
    key.export({ type, format: 'pem' }).toString()
  const app = {
    appId: '2021',
    privateKey: pem(appKeys.privateKey, 'pkcs8'),
    alipayPublicKey: pem(gatewayKeys.publicKey, 'spki'),
  }
  const alipay = () => alipayProvider({ apps: [app], apiBase: `${base}/gateway.do`, timeoutMs: 2000 }, () => Date.UTC(2026, 0, 1))
  const RESPONSE = 'alipay_system_oauth_token_response'
  /** An answer as the gateway writes it: the member's exact text, signed. */
  const signed = (member: string, node: Record<string, unknown>, memberKey = member) => {
    const content = JSON.stringify(node)
    return `{"${memberKey}":${content},"sign":"${rsa2Sign(content, gatewayKeys.privateKey)}"}`
  }

  it('signs a form with the documented common parameters and takes open_id (code 10000 or none)', async () => {
    answers(signed(RESPONSE, { code: '10000', open_id: 'a-open', access_token: 'x' }))
    expect(await alipay().exchange('c1', '2021')).toEqual({ provider: 'alipay', platform: 'mp-alipay', appId: '2021', subject: 'a-open' })
    const form = Object.fromEntries(new URLSearchParams(seen?.body ?? ''))
    expect(form).toMatchObject({
      app_id: '2021',
      method: 'alipay.system.oauth.token',
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: '2026-01-01 08:00:00',
      version: '1.0',
      grant_type: 'authorization_code',
      code: 'c1',
      sign: expect.any(String),
    })
    expect(seen?.method).toBe('POST')
  })

  it.each([
    ['a response node with an error code', signed(RESPONSE, { code: '40004', msg: 'Business Failed', sub_code: 'isv.x' })],
    ['a signed error_response', signed('error_response', { code: '40004', msg: 'Business Failed', sub_code: 'isv.x' })],
    ['an unsigned error_response', JSON.stringify({ error_response: { code: '40004', msg: 'Business Failed', sub_code: 'isv.x' } })],
  ])('%s is PROVIDER_ERROR naming the sub_code', async (_name, text) => {
    answers(text)
    expect(await failure(alipay(), '2021')).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: 'Alipay refused the exchange (isv.x)',
      providerCode: 'isv.x',
    })
  })

  it.each([
    [{ code: '40004', sub_code: 'isv.app-call-limited' }, 'PROVIDER_RATE_LIMITED', 'Alipay rate limit reached; retry later'],
    [{ code: '40004', sub_code: 'isp.unknow-error' }, 'PROVIDER_UNAVAILABLE', 'Alipay is unavailable; retry later'],
    [{ code: '40004', sub_code: 'aop.unknow-error' }, 'PROVIDER_UNAVAILABLE', 'Alipay is unavailable; retry later'],
    [{ code: '20000', sub_code: 'isv.service-down' }, 'PROVIDER_UNAVAILABLE', 'Alipay is unavailable; retry later'],
    [{ code: '40004', sub_code: 'isv.not-isp.' }, 'PROVIDER_ERROR', 'Alipay refused the exchange (isv.not-isp.)'],
    [{ code: '40004' }, 'PROVIDER_ERROR', 'Alipay refused the exchange (40004)'],
    [{ msg: 'nothing' }, 'PROVIDER_ERROR', 'Alipay refused the exchange (no code)'],
  ])('error %o → %s', async (node, code, message) => {
    answers(signed('error_response', node))
    expect(await failure(alipay(), '2021')).toMatchObject({ code, message })
  })

  it.each([
    ['no sign', JSON.stringify({ [RESPONSE]: { open_id: 'a-open' } })],
    ['a member its signature cannot be found for', signed(RESPONSE, { open_id: 'a-open' }, 'alipay_system_oauth_token_respons\\u0065')],
  ])('a response with %s is PROVIDER_SIGNATURE_INVALID', async (_name, text) => {
    answers(text)
    expect(await failure(alipay(), '2021')).toMatchObject({
      code: 'PROVIDER_SIGNATURE_INVALID',
      message: expect.stringMatching(/Alipay public key/),
    })
  })

  it('names the method in its own errors', async () => {
    answers(signed(RESPONSE, { access_token: 'x' }))
    expect(await failure(alipay(), '2021')).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: 'Alipay alipay.system.oauth.token answered without open_id or user_id',
    })
    answers({ something_else: {} })
    expect(await failure(alipay(), '2021')).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: 'Alipay alipay.system.oauth.token answered neither alipay_system_oauth_token_response nor error_response',
    })
    answers('<html>down</html>', 502)
    expect(await failure(alipay(), '2021')).toMatchObject({ message: 'Alipay alipay.system.oauth.token answered HTTP 502' })
  })

  it('refuses an unconfigured AppID, and names the app of a key it cannot read', async () => {
    await expect(alipay().exchange('c', '2099')).rejects.toThrow('mp-alipay provider asked for unknown AppID 2099')
    expect(() => alipayProvider({ apps: [{ ...app, alipayPublicKey: 'garbage' }], apiBase: base, timeoutMs: 2000 })).toThrow(
      /^mp-alipay 2021 alipayPublicKey is not an RSA public key/,
    )
  })
})
