import type { FastifyError, FastifyInstance } from 'fastify'
import { type ErrorBody, isAuthError } from '../errors.js'

function clientErrorBody(error: FastifyError): { status: number; body: ErrorBody } {
  const status = error.statusCode ?? 400
  if (status === 413) return { status, body: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body too large' } }
  if (status === 415) return { status, body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send application/json' } }
  // Fastify's own 4xx messages (schema, JSON syntax) describe the request, never server state.
  return { status, body: { code: 'BAD_REQUEST', message: error.message } }
}

/** Every error leaves as `{ code, message }`; only genuine server faults become 5xx. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler<FastifyError>((error, request, reply) => {
    if (isAuthError(error)) {
      const level = error.statusCode >= 500 ? 'warn' : 'info'
      request.log[level]({ code: error.code, wxErrcode: error.wxErrcode }, error.message)
      return reply.status(error.statusCode).send(error.toBody())
    }
    if (error.validation) {
      return reply.status(400).send({ code: 'BAD_REQUEST', message: error.message } satisfies ErrorBody)
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      const { status, body } = clientErrorBody(error)
      return reply.status(status).send(body)
    }
    request.log.error({ err: error }, 'unhandled error')
    return reply.status(500).send({ code: 'INTERNAL', message: 'Internal server error' } satisfies ErrorBody)
  })

  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send({ code: 'NOT_FOUND', message: `No route ${request.method} ${request.url}` })
  })
}
