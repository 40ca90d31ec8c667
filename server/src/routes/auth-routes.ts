import type { FastifyInstance, FastifyRequest } from 'fastify'
import { issueSession } from '../auth/issue-session.js'
import { createLoginGuard } from '../auth/login-guard.js'
import { verifyBearer } from '../auth/require-user.js'
import { HttpAuthError } from '../base/errors.js'
import { perAddress } from '../http/rate-limits.js'
import type { Services } from '../services/services.js'
import type { AccessClaims } from '../tokens/access-tokens.js'
import { hashRefreshToken, newFamilyId } from '../tokens/refresh-tokens.js'
import { routeSchema } from './openapi-schema.js'
import {
  bearerSecurity,
  type CodeBody,
  codeBodySchema,
  commonErrors,
  errors,
  type LogoutBody,
  logoutBodySchema,
  noContent,
  type RefreshBody,
  refreshBodySchema,
  sessionSchema,
} from './schemas.js'

// A wx.login code lives 5 minutes at WeChat; remembering it twice as long covers clock skew.
const CODE_GUARD_TTL_MS = 10 * 60_000
// How long a login may wait for its turn at code2Session (see createLoginGuard): half the client
// plugin's default 10-second login deadline, so the client still gets an answer it can act on.
const LOGIN_TURN_WAIT_MS = 5000

const tags = ['auth']

export function registerAuthRoutes(app: FastifyInstance, services: Services): void {
  const { store, wechat, accessTokens, config } = services
  const loginGuard = createLoginGuard(app, {
    failures: config.rateLimit.loginFailures,
    concurrency: config.rateLimit.loginConcurrency,
    waitMs: LOGIN_TURN_WAIT_MS,
  })

  app.post<{ Body: CodeBody }>(
    '/auth/login',
    {
      schema: routeSchema({
        tags,
        summary: 'Exchange a wx.login code for a token pair',
        body: codeBodySchema,
        response: {
          200: sessionSchema,
          ...errors({
            ...commonErrors,
            400: 'BAD_REQUEST, WX_CODE_INVALID (40029), WX_CODE_USED (40163, or the code was seen before)',
            403: 'WX_USER_BLOCKED (40226)',
            429: 'RATE_LIMITED: too many rejected codes from this address; WX_RATE_LIMITED (45011)',
            502: 'WX_UNAVAILABLE, WX_ERROR',
            503: 'WX_BUSY (-1), STORE_UNAVAILABLE',
          }),
        },
      }),
    },
    async (request) => {
      const { code } = request.body
      const session = await loginGuard.run(request, async () => {
        // Claimed before calling WeChat so a replayed code never costs an upstream call, on any instance.
        if (!(await store.claimCode(code, CODE_GUARD_TTL_MS))) {
          throw new HttpAuthError('WX_CODE_USED', 'The login code has already been used; call wx.login again')
        }
        return wechat.code2Session(code)
      })
      const user = await store.upsertUser({ openid: session.openid, unionid: session.unionid })
      await store.saveSessionKey(session.openid, session.sessionKey)
      return issueSession(services, user, newFamilyId())
    },
  )

  app.post<{ Body: RefreshBody }>(
    '/auth/refresh',
    {
      config: { rateLimit: perAddress(config.rateLimit.refresh) },
      schema: routeSchema({
        tags,
        summary: 'Rotate a refresh token into a new token pair',
        description: 'The sent refresh token is spent. Presenting a spent one again revokes its whole family.',
        body: refreshBodySchema,
        response: {
          200: sessionSchema,
          ...errors({ ...commonErrors, 401: 'AUTH_REFRESH_INVALID: unknown, expired, revoked or replayed', 429: 'RATE_LIMITED' }),
        },
      }),
    },
    async (request) => {
      const result = await store.consumeRefreshToken(hashRefreshToken(request.body.refreshToken))
      if (result.status === 'reused') {
        request.log.warn({ familyId: result.familyId }, 'rotated refresh token replayed; family revoked')
      }
      if (result.status !== 'ok') throw new HttpAuthError('AUTH_REFRESH_INVALID', 'Refresh token invalid, expired or revoked')
      const user = await store.getUserById(result.userId)
      if (!user) throw new HttpAuthError('AUTH_REFRESH_INVALID', 'Refresh token invalid, expired or revoked')
      return issueSession(services, user, result.familyId)
    },
  )

  // Revoking is never a privilege: an access token that expired still names the login it came
  // from. It is accepted for as long as that login's refresh tokens can live (the refresh TTL
  // past its expiry); after that the family has expired by itself and the token is refused.
  const verifyForLogout = (request: FastifyRequest): Promise<AccessClaims> =>
    verifyBearer(request, accessTokens, { expiredGraceSeconds: config.refreshTtlSeconds })

  app.post<{ Body: LogoutBody | null }>(
    '/auth/logout',
    {
      schema: routeSchema({
        tags,
        summary: 'Log out this login: revoke its refresh-token family',
        description:
          'Send the refresh token in the body, or only `Authorization: Bearer <access token>` (also accepted after the ' +
          'token expired, for as long as its refresh tokens could live). Access tokens stay valid until `exp`.',
        body: logoutBodySchema,
        security: [{}, ...bearerSecurity],
        response: { 204: noContent, ...errors({ ...commonErrors, 401: 'AUTH_TOKEN_MISSING, AUTH_TOKEN_INVALID, AUTH_TOKEN_EXPIRED' }) },
      }),
    },
    async (request, reply) => {
      // Holding the refresh token is proof enough to revoke it (as in RFC 7009).
      const refreshToken = request.body?.refreshToken
      if (refreshToken) await store.revokeRefreshFamilyOf(hashRefreshToken(refreshToken))
      else await store.revokeFamily((await verifyForLogout(request)).familyId)
      return reply.status(204).send()
    },
  )

  app.post(
    '/auth/logout-all',
    {
      schema: routeSchema({
        tags,
        summary: 'Log out everywhere: revoke every refresh-token family of the user',
        description: 'The access token may have expired, as for /auth/logout. Access tokens stay valid until `exp`.',
        security: bearerSecurity,
        response: {
          204: noContent,
          ...errors({ 401: 'AUTH_TOKEN_MISSING, AUTH_TOKEN_INVALID, AUTH_TOKEN_EXPIRED', 500: 'INTERNAL', 503: 'STORE_UNAVAILABLE' }),
        },
      }),
    },
    async (request, reply) => {
      await store.revokeAllFamiliesOfUser((await verifyForLogout(request)).userId)
      return reply.status(204).send()
    },
  )
}
