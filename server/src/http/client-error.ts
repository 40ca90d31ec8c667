import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { ErrorBody, ErrorCode } from '../base/errors.js'

function answerFor(error: NodeJS.ErrnoException): { status: number; body: ErrorBody } {
  const answer = (status: number, code: ErrorCode, message: string) => ({ status, body: { code, message } })
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return answer(408, 'REQUEST_TIMEOUT', 'The request did not arrive in time')
    case 'HPE_HEADER_OVERFLOW':
      return answer(431, 'HEADERS_TOO_LARGE', 'Request headers too large')
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return answer(413, 'PAYLOAD_TOO_LARGE', 'Chunk extensions too large')
    default:
      return answer(400, 'BAD_REQUEST', 'Malformed HTTP request')
  }
}

/**
 * fastify's `clientErrorHandler`: what Node itself refuses before any route runs (a malformed
 * request line, oversized headers, a request that timed out) gets the same `{ code, message }`
 * shape as every other error. The connection is closed afterwards: its state is unknown.
 */
export function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  // The peer is gone (reset, or destroyed already): nobody is left to read an answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const { status, body } = answerFor(error)
  this.log.info({ code: body.code, nodeCode: error.code }, 'client error')
  if (socket.writable) {
    const json = JSON.stringify(body)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    )
  }
  socket.destroy(error)
}
