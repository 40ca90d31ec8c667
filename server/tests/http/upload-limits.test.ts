import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, listenOnLoopback, startHarness } from '../helpers/harness.js'

interface Upload {
  status: number | undefined
  headers: Record<string, string | string[] | undefined>
  body: string
  /** The client wrote its whole body. */
  finished: boolean
  /** EPIPE / ECONNRESET while sending: what a client reports as a network error. */
  error: string | undefined
}

/**
 * Sends `size` bytes with Node's http client, 64 KiB at a time, yielding between writes so the
 * server can answer while the upload is still going (as a phone on a slow link would).
 */
function upload(
  port: number,
  path: string,
  headers: Record<string, string>,
  size: number,
  prefix: Uint8Array = new Uint8Array(0),
): Promise<Upload> {
  return new Promise((resolve) => {
    const result: Upload = { status: undefined, headers: {}, body: '', finished: false, error: undefined }
    let responded = false
    let settled = false
    const settle = () => {
      if (settled) return
      settled = true
      resolve(result)
    }
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      result.status = res.statusCode
      result.headers = res.headers
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        result.body += chunk
      })
      res.on('end', () => {
        responded = true
        if (result.finished || result.error) settle()
      })
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      result.error = error.code ?? error.message
      settle()
    })
    req.on('finish', () => {
      result.finished = true
      if (responded) settle()
    })
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    let sent = 0
    const pump = () => {
      if (req.destroyed) return
      if (sent === 0 && prefix.length > 0) req.write(prefix)
      if (sent >= size) {
        req.end()
        return
      }
      const piece = chunk.subarray(0, Math.min(chunk.length, size - sent))
      sent += piece.length
      if (req.write(piece)) setImmediate(pump)
      else req.once('drain', pump)
    }
    pump()
  })
}

function multipartHead(boundary: string, fileBytes: number): { head: Buffer; tail: Buffer; length: number } {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="avatar"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  return { head, tail, length: head.length + fileBytes + tail.length }
}

const DRAIN_LIMIT = 64 * 1024 * 1024
const BIG = 32 * 1024 * 1024

describe('a refused upload reaches the client as an answer, not as a reset connection', () => {
  let harness: Harness
  let port: number
  let token: string
  beforeAll(async () => {
    // A cap far above the kernel's socket buffers: on loopback a smaller body fits in them whole,
    // and the client would finish sending before a server that closes early could reset it.
    harness = await startHarness({ env: { DRAIN_LIMIT_BYTES: String(DRAIN_LIMIT) } })
    port = await listenOnLoopback(harness)
    token = (await harness.login()).token
  })
  afterAll(() => harness.close())

  const json = { 'content-type': 'application/json' }

  it('a JSON body over BODY_LIMIT_BYTES with a Content-Length: 413 JSON, upload completes', async () => {
    const result = await upload(port, '/auth/login', { ...json, 'content-length': String(BIG) }, BIG)
    expect(result).toMatchObject({ status: 413, error: undefined, finished: true })
    expect(JSON.parse(result.body)).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) })
  })

  it('a chunked JSON body over the limit: 413 JSON, upload completes', async () => {
    const result = await upload(port, '/auth/login', json, BIG)
    expect(result).toMatchObject({ status: 413, error: undefined, finished: true })
    expect(JSON.parse(result.body).code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('an avatar over its limit: 413 JSON while the rest is still arriving', async () => {
    const fileBytes = BIG
    const { head, tail, length } = multipartHead('xYz', fileBytes)
    const headers = {
      'content-type': 'multipart/form-data; boundary=xYz',
      'content-length': String(length),
      authorization: `Bearer ${token}`,
    }
    // The closing boundary never matters: the server answers from the size alone.
    const result = await upload(port, '/me/avatar', headers, fileBytes + tail.length, head)
    expect(result).toMatchObject({ status: 413, error: undefined, finished: true })
    expect(JSON.parse(result.body).code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('an anonymous upload: 401 JSON, upload completes', async () => {
    const headers = { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(BIG) }
    const result = await upload(port, '/me/avatar', headers, BIG)
    expect(result).toMatchObject({ status: 401, error: undefined, finished: true })
    expect(JSON.parse(result.body).code).toBe('AUTH_TOKEN_MISSING')
  })

  it('a body larger than DRAIN_LIMIT_BYTES is not read: the answer closes the connection', async () => {
    const size = DRAIN_LIMIT * 2
    const result = await upload(port, '/auth/login', { ...json, 'content-length': String(size) }, size)
    expect(result.finished).toBe(false)
    if (result.status !== undefined) {
      expect(result.status).toBe(413)
      expect(result.headers.connection).toBe('close')
    }
  })
})
