import type { FastifyRequest } from 'fastify'
import { HttpAuthError } from '../base/errors.js'
import type { AccessClaims, AccessTokens, VerifyOptions } from '../tokens/access-tokens.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireUser` on authenticated routes; `null` elsewhere. */
    auth: AccessClaims | null
  }
}

/** An `onRequest` or `preHandler` hook: sets `request.auth` from a valid Bearer token, or fails with a 401 HttpAuthError. */
export type RequireUser = (request: FastifyRequest) => Promise<void>

const BEARER = /^Bearer\s+(\S+)\s*$/i

/** The token of `Authorization: Bearer <token>`; 401 when the header is missing or of another scheme. */
function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization
  if (!header) throw new HttpAuthError('AUTH_TOKEN_MISSING', 'Authorization: Bearer <token> header required')
  const match = BEARER.exec(header)
  if (!match?.[1]) throw new HttpAuthError('AUTH_TOKEN_INVALID', 'Authorization header is not a Bearer token')
  return match[1]
}

/** Verifies the request's Bearer token (optionally accepting an expired one, see VerifyOptions). */
export async function verifyBearer(request: FastifyRequest, accessTokens: AccessTokens, options?: VerifyOptions): Promise<AccessClaims> {
  const claims = await accessTokens.verify(bearerToken(request), options)
  request.auth = claims
  return claims
}

export function requireUser(accessTokens: AccessTokens): RequireUser {
  return async (request) => {
    await verifyBearer(request, accessTokens)
  }
}

/** The authenticated user id; only valid on routes guarded by requireUser. */
export function authenticatedUserId(request: FastifyRequest): string {
  if (!request.auth) throw new HttpAuthError('AUTH_TOKEN_MISSING', 'Authentication required')
  return request.auth.userId
}
