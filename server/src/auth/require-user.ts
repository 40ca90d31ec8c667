import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import { AuthError } from '../errors.js'
import type { AccessTokens } from '../tokens/access-tokens.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the requireUser pre-handler on authenticated routes. */
    auth: { userId: string } | null
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i

/** Pre-handler that turns `Authorization: Bearer <jwt>` into `request.auth`, or answers 401. */
export function requireUser(accessTokens: AccessTokens): preHandlerAsyncHookHandler {
  return async (request) => {
    const header = request.headers.authorization
    if (!header) throw new AuthError('AUTH_TOKEN_MISSING', 'Authorization: Bearer <token> header required')
    const match = BEARER.exec(header)
    if (!match?.[1]) throw new AuthError('AUTH_TOKEN_INVALID', 'Authorization header is not a Bearer token')
    request.auth = { userId: await accessTokens.verify(match[1]) }
  }
}

/** The authenticated user id; only valid on routes guarded by requireUser. */
export function authenticatedUserId(request: FastifyRequest): string {
  if (!request.auth) throw new AuthError('AUTH_TOKEN_MISSING', 'Authentication required')
  return request.auth.userId
}
