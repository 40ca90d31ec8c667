import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { ErrorBody } from '../base/errors.js'

const BODY = JSON.stringify({
  code: 'EXPECTATION_FAILED',
  message: 'Unsupported Expect header; only "100-continue" is understood',
} satisfies ErrorBody)

/**
 * Node answers an `Expect` header other than `100-continue` with a bare 417 of its own, before any
 * route or hook runs. This gives that answer the `{ code, message }` shape (417 stays the status:
 * RFC 9110 asks for it).
 */
export function answerUnknownExpectations(server: Server): void {
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(417, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(BODY),
      connection: 'close',
    })
    response.end(BODY)
  })
}
