import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, listenOnLoopback, startHarness, useHarness } from '../helpers/harness.js'
import { parseAnswer, rawExchange } from '../helpers/raw-http.js'

const errorShape = (code: string) => ({ code, message: expect.any(String) })

describe('errors raised by Node and fastify themselves use { code, message }', () => {
  let harness: Harness
  let port: number
  beforeAll(async () => {
    harness = await startHarness()
    port = await listenOnLoopback(harness)
  })
  afterAll(() => harness.close())

  it('a malformed request is a 400 BAD_REQUEST, then the connection closes', async () => {
    const { received } = await rawExchange(port, { head: 'GARBAGE\r\n\r\n' })
    const answer = parseAnswer(received)
    expect(answer.status).toBe(400)
    expect(answer.body).toEqual(errorShape('BAD_REQUEST'))
    expect(answer.headers).toContain('connection: close')
  })

  it('oversized headers are a 431 HEADERS_TOO_LARGE', async () => {
    const head = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`
    const answer = parseAnswer((await rawExchange(port, { head })).received)
    expect(answer.status).toBe(431)
    expect(answer.body).toEqual(errorShape('HEADERS_TOO_LARGE'))
  })

  it('an HTTP/1.1 request without Host is a 400 with a body; HTTP/1.0 needs none', async () => {
    const missing = parseAnswer((await rawExchange(port, { head: 'GET /healthz HTTP/1.1\r\n\r\n' })).received)
    expect(missing.status).toBe(400)
    expect(missing.body).toEqual({ code: 'BAD_REQUEST', message: 'Host header required' })
    expect(missing.headers).toContain('connection: close')
    const old = parseAnswer((await rawExchange(port, { head: 'GET /healthz HTTP/1.0\r\n\r\n' })).received)
    expect(old.status).toBe(200)
    expect(old.body).toEqual({ ok: true })
  })
})

describe('error answers never echo what the client sent', () => {
  const harness = useHarness()

  it('404 does not quote the URL', async () => {
    const response = await harness().inject({ method: 'GET', url: '/private-path-xyz?token=s3cr3t-value' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual(errorShape('NOT_FOUND'))
    expect(response.body).not.toContain('private-path-xyz')
    expect(response.body).not.toContain('s3cr3t-value')
  })

  it('a malformed URL is a 400 that does not quote it', async () => {
    const response = await harness().inject({ method: 'GET', url: '/me/%E0%A4%A-marker' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual(errorShape('BAD_REQUEST'))
    expect(response.body).not.toContain('marker')
  })

  it('a JSON syntax error does not quote the body', async () => {
    const response = await harness().inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"code": body-marker-123',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ code: 'BAD_REQUEST', message: 'Body is not valid JSON' })
  })

  it('an unsupported content type does not quote the header', async () => {
    const response = await harness().inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/x-header-marker' },
      payload: 'x',
    })
    expect(response.statusCode).toBe(415)
    expect(response.json()).toEqual(errorShape('UNSUPPORTED_MEDIA_TYPE'))
    expect(response.body).not.toContain('marker')
  })
})

describe('slow clients are cut off (raw socket, small limits)', () => {
  let harness: Harness
  let port: number
  beforeAll(async () => {
    harness = await startHarness({
      env: { REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '500', TIMEOUT_CHECK_INTERVAL_MS: '100' },
    })
    port = await listenOnLoopback(harness)
  })
  afterAll(() => harness.close())

  it('a header that never ends is answered 408 and closed', async () => {
    const { received } = await rawExchange(port, { head: 'POST /auth/login HTTP/1.1\r\nHost: x\r\n', dribble: 'X-Slow: 1\r\n' })
    const answer = parseAnswer(received)
    expect(answer.status).toBe(408)
    expect(answer.body).toEqual(errorShape('REQUEST_TIMEOUT'))
  })

  it('a body sent one byte at a time is answered 408 and closed', async () => {
    const head = 'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n'
    const { received } = await rawExchange(port, { head, dribble: ' ' })
    const answer = parseAnswer(received)
    expect(answer.status).toBe(408)
    expect(answer.body).toEqual(errorShape('REQUEST_TIMEOUT'))
  })

  it('a connection that never sends anything is closed', async () => {
    await rawExchange(port, {})
  })
})
