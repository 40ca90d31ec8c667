import type { FastifyReply, FastifyRequest } from 'fastify'
import { HttpAuthError } from '../base/errors.js'

/**
 * HTTP/1.1 requires a Host header (RFC 9112 §3.2). Node checks it itself but answers with an
 * empty 400; the server turns Node's check off (`requireHostHeader: false`) and does it here,
 * so the refusal has the usual `{ code, message }` body.
 */
export async function requireHostHeader(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { httpVersionMajor, httpVersionMinor, headers } = request.raw
  if (httpVersionMajor === 1 && httpVersionMinor >= 1 && headers.host === undefined) {
    void reply.header('connection', 'close')
    throw new HttpAuthError('BAD_REQUEST', 'Host header required')
  }
}
