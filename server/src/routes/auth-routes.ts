import type { FastifyInstance } from 'fastify'
import { issueSession } from '../auth/issue-session.js'
import { requireUser } from '../auth/require-user.js'
import { AuthError } from '../errors.js'
import type { Services } from '../services.js'
import { hashRefreshToken, newFamilyId } from '../tokens/refresh-tokens.js'
import { type CodeBody, codeBodySchema, type LogoutBody, logoutBodySchema, type RefreshBody, refreshBodySchema } from './schemas.js'

// A wx.login code lives 5 minutes at WeChat; remembering it twice as long covers clock skew.
const CODE_GUARD_TTL_MS = 10 * 60_000

export function registerAuthRoutes(app: FastifyInstance, services: Services): void {
  const { store, wechat, accessTokens } = services

  app.post<{ Body: CodeBody }>('/auth/login', { schema: { body: codeBodySchema } }, async (request) => {
    const { code } = request.body
    // Claimed before calling WeChat so a replayed code never costs an upstream call, on any instance.
    if (!(await store.claimCode(code, CODE_GUARD_TTL_MS))) {
      throw new AuthError('WX_CODE_USED', 'The login code has already been used; call wx.login again')
    }
    const session = await wechat.code2Session(code)
    const user = await store.upsertUser({ openid: session.openid, unionid: session.unionid })
    await store.saveSessionKey(session.openid, session.sessionKey)
    return issueSession(services, user, newFamilyId())
  })

  app.post<{ Body: RefreshBody }>('/auth/refresh', { schema: { body: refreshBodySchema } }, async (request) => {
    const result = await store.consumeRefreshToken(hashRefreshToken(request.body.refreshToken))
    if (result.status === 'reused') {
      request.log.warn({ familyId: result.familyId }, 'rotated refresh token replayed; family revoked')
    }
    if (result.status !== 'ok') throw new AuthError('AUTH_REFRESH_INVALID', 'Refresh token invalid, expired or revoked')
    const user = await store.getUserById(result.userId)
    if (!user) throw new AuthError('AUTH_REFRESH_INVALID', 'Refresh token invalid, expired or revoked')
    return issueSession(services, user, result.familyId)
  })

  const authenticate = requireUser(accessTokens)
  // Holding the refresh token is proof enough to revoke it (as in RFC 7009): logout must still
  // work when the access token has already expired, which is exactly when users tend to log out.
  // Without a refresh token there is nothing to revoke, and a valid access token is required.
  app.post<{ Body: LogoutBody | null }>('/auth/logout', { schema: { body: logoutBodySchema } }, async (request, reply) => {
    const refreshToken = request.body?.refreshToken
    if (refreshToken) await store.revokeRefreshFamilyOf(hashRefreshToken(refreshToken))
    else await authenticate.call(app, request, reply)
    return reply.status(204).send()
  })
}
