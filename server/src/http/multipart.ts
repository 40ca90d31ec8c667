import type { FastifyInstance } from 'fastify'
import { AuthError } from '../errors.js'

/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  name: string
  filename: string | undefined
  contentType: string | undefined
  data: Buffer
}

const CRLF = Buffer.from('\r\n')
const HEADER_END = Buffer.from('\r\n\r\n')

function boundaryOf(contentType: string | undefined): string {
  const match = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '')
  const boundary = match?.[1] ?? match?.[2]
  if (!boundary || boundary.length > 70) throw new AuthError('BAD_REQUEST', 'multipart/form-data needs a boundary')
  return boundary
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`;\\s*${key}="([^"]*)"`, 'i').exec(disposition)
  return match?.[1]
}

/**
 * Parses a complete `multipart/form-data` body (RFC 7578) held in memory. Small on purpose: the
 * reference backend only takes one small avatar file, and the project adds no npm dependency for it.
 * Anything malformed is a 400 BAD_REQUEST.
 */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`)
  const parts: MultipartPart[] = []
  let cursor = body.indexOf(delimiter)
  if (cursor === -1) throw new AuthError('BAD_REQUEST', 'multipart body has no boundary line')
  for (;;) {
    cursor += delimiter.length
    // `--boundary--` closes the body.
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) return parts
    if (!body.subarray(cursor, cursor + 2).equals(CRLF)) throw new AuthError('BAD_REQUEST', 'malformed multipart boundary line')
    const headersStart = cursor + 2
    const headersEnd = body.indexOf(HEADER_END, headersStart)
    if (headersEnd === -1) throw new AuthError('BAD_REQUEST', 'multipart part without headers')
    // Part data ends right before CRLF + the next delimiter.
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), headersEnd + HEADER_END.length)
    if (next === -1) throw new AuthError('BAD_REQUEST', 'multipart body is not terminated')
    const headers = new Map<string, string>()
    for (const line of body.subarray(headersStart, headersEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':')
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
    }
    const disposition = headers.get('content-disposition') ?? ''
    const name = dispositionParam(disposition, 'name')
    if (!/^form-data\b/i.test(disposition) || name === undefined) {
      throw new AuthError('BAD_REQUEST', 'multipart part without Content-Disposition: form-data; name=…')
    }
    parts.push({
      name,
      filename: dispositionParam(disposition, 'filename'),
      contentType: headers.get('content-type'),
      data: body.subarray(headersEnd + HEADER_END.length, next),
    })
    cursor = next + CRLF.length
  }
}

/**
 * Accepts `multipart/form-data` bodies up to `bodyLimit` bytes in this (encapsulated) scope only,
 * as a raw Buffer; routes call parseMultipart on it. Other routes keep answering 415 to multipart.
 */
export function installMultipartBodyParser(scope: FastifyInstance, bodyLimit: number): void {
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
    done(null, body)
  })
}
