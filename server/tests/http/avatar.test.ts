import { describe, expect, it } from 'vitest'
import { SERVER_DEFAULTS } from '../../src/base/defaults.js'
import { type Harness, useHarness } from '../helpers/harness.js'

/** A real multipart encoding (undici's FormData), as a browser's or WeChat's uploadFile sends. */
async function multipart(fields: Record<string, Blob | string>): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value)
    else form.append(name, value, `${name}.png`)
  }
  const encoded = new Response(form)
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
  }
}

/** Bytes that look like line breaks and boundary dashes, so a sloppy parser miscounts. */
/** POSTs the parts to /me/avatar, with a Bearer token when one is given. */
async function postAvatar(harness: Harness, parts: Record<string, Blob | string>, token?: string) {
  const { payload, headers } = await multipart(parts)
  return harness.inject({
    method: 'POST',
    url: '/me/avatar',
    payload,
    headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
  })
}

function trickyImage(size: number): Blob {
  const bytes = new Uint8Array(size)
  const pattern = Buffer.from('\r\n--\r\n\r\n-')
  for (let i = 0; i < size; i += 1) bytes[i] = i % 7 === 0 ? pattern[i % pattern.length]! : (i * 31) & 0xff
  return new Blob([bytes], { type: 'image/png' })
}

describe('POST /me/avatar (uni.uploadFile, field `avatar`)', () => {
  const harness = useHarness()

  it('answers the byte count of the uploaded file for an authenticated user', async () => {
    const { token } = await harness().login()
    const response = await postAvatar(harness(), { note: 'hello', avatar: trickyImage(4321) }, token)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({ bytes: 4321 })
  })

  it('accepts a body larger than the JSON body limit, up to its own limit', async () => {
    const { token } = await harness().login()
    const size = 64 * 1024
    expect(size).toBeGreaterThan(harness().config.server.bodyLimit)
    const response = await postAvatar(harness(), { avatar: trickyImage(size) }, token)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({ bytes: size })
  })

  it('is a 401 without a token', async () => {
    const response = await postAvatar(harness(), { avatar: trickyImage(100) })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({ code: 'AUTH_TOKEN_MISSING', message: expect.any(String) })
  })

  it('is a 401 AUTH_TOKEN_EXPIRED for an expired token (what the client replays on)', async () => {
    const { token } = await harness().login()
    const expire = await harness().inject({ method: 'POST', url: '/dev/expire-tokens' })
    expect(expire.statusCode).toBe(204)
    const response = await postAvatar(harness(), { avatar: trickyImage(100) }, token)
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('AUTH_TOKEN_EXPIRED')
  })

  it('is a 400 without an `avatar` part, or with a malformed body', async () => {
    const { token } = await harness().login()
    const auth = { authorization: `Bearer ${token}` }
    const noAvatar = await multipart({ photo: trickyImage(10) })
    const missing = await harness().inject({
      method: 'POST',
      url: '/me/avatar',
      payload: noAvatar.payload,
      headers: { ...noAvatar.headers, ...auth },
    })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().code).toBe('BAD_REQUEST')

    const noBoundary = await harness().inject({
      method: 'POST',
      url: '/me/avatar',
      payload: 'garbage',
      headers: { 'content-type': 'multipart/form-data', ...auth },
    })
    expect(noBoundary.statusCode).toBe(400)
    expect(noBoundary.json().code).toBe('BAD_REQUEST')

    const unterminated = await harness().inject({
      method: 'POST',
      url: '/me/avatar',
      payload: '--xyz\r\nContent-Disposition: form-data; name="avatar"\r\n\r\nabc',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz', ...auth },
    })
    expect(unterminated.statusCode).toBe(400)
    expect(unterminated.json().code).toBe('BAD_REQUEST')
  })

  it('is a 413 above its body limit', async () => {
    const { token } = await harness().login()
    const response = await postAvatar(harness(), { avatar: trickyImage(SERVER_DEFAULTS.avatarMaxBytes + 1) }, token)
    expect(response.statusCode).toBe(413)
    expect(response.json().code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('other routes still refuse multipart bodies (415)', async () => {
    const { payload, headers } = await multipart({ code: 'mock-alice' })
    const response = await harness().inject({ method: 'POST', url: '/auth/login', payload, headers })
    expect(response.statusCode).toBe(415)
    expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE')
  })
})
