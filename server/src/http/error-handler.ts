import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type ErrorBody, type ErrorCode, isHttpAuthError } from '../base/errors.js'

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  404: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
}

// Fixed texts for fastify's own client errors: several of its messages quote the URL, a header or
// a piece of the body, and an error answer must never echo what the client sent.
const MESSAGE_BY_FASTIFY_CODE: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported Content-Type; send application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Empty body; send a JSON object',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Body is not valid JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_BAD_URL: 'Malformed URL',
  FST_ERR_BAD_STATUS_CODE: 'Bad request',
}

function clientErrorBody(error: FastifyError, status: number): ErrorBody {
  const code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST'
  // Schema errors ("body/code must be string") describe our schema, not the client's data.
  if (error.validation) return { code: 'BAD_REQUEST', message: error.message }
  if (error instanceof SyntaxError) return { code, message: 'Body is not valid JSON' }
  return { code, message: MESSAGE_BY_FASTIFY_CODE[error.code] ?? STATUS_CODES[status] ?? 'Bad request' }
}

/** Every error leaves as `{ code, message }`; only genuine server faults become 5xx. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isHttpAuthError(error)) {
    const level = error.statusCode >= 500 ? 'warn' : 'info'
    request.log[level]({ code: error.code, wxErrcode: error.wxErrcode, providerCode: error.providerCode }, error.message)
    if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds))
    return reply.status(error.statusCode).send(error.toBody())
  }
  const status = error.validation ? 400 : error.statusCode
  if (status !== undefined && status >= 400 && status < 500) {
    return reply.status(status).send(clientErrorBody(error, status))
  }
  request.log.error({ err: error }, 'unhandled error')
  return reply.status(500).send({ code: 'INTERNAL', message: 'Internal server error' } satisfies ErrorBody)
}

/** 404 without quoting the requested URL back. */
export function notFoundHandler(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.status(404).send({ code: 'NOT_FOUND', message: 'No such route' } satisfies ErrorBody)
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
}
