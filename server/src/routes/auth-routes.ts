import type { FastifyInstance, FastifyRequest } from 'fastify'
import { claimLoginCode } from '../auth/claim-code.js'
import { issueLoginSession, refreshExpiry, sessionResponse } from '../auth/issue-session.js'
import { createLoginGuard } from '../auth/login-guard.js'
import { verifyBearer } from '../auth/require-user.js'
import { SERVER_DEFAULTS } from '../base/defaults.js'
import { HttpAuthError } from '../base/errors.js'
import { perAddress } from '../http/rate-limits.js'
import type { Services } from '../services/services.js'
import type { AccessClaims } from '../tokens/access-tokens.js'
import { hashRefreshToken, newRefreshToken } from '../tokens/refresh-tokens.js'
import { routeSchema } from './openapi-schema.js'
import {
  bearerSecurity,
  commonErrors,
  errors,
  type LoginBody,
  loginBodySchema,
  type LogoutBody,
  logoutBodySchema,
  noContent,
  type RefreshBody,
  refreshBodySchema,
  sessionSchema,
} from './schemas.js'

// How long a login may wait for its turn at code2Session (see createLoginGuard): the client
// plugin's default 10-second login deadline (loginTimeoutMs) less 2 s for wx.login and the
// exchange itself, so the client still gets an answer it can act on.
const LOGIN_TURN_WAIT_MS = 8000

const tags = ['auth']

export function registerAuthRoutes(app: FastifyInstance, services: Services): void {
  const { store, providers, accessTokens, config } = services
  const loginGuard = createLoginGuard({
    failures: config.rateLimit.loginFailures,
    concurrency: config.rateLimit.loginConcurrency,
    waitMs: LOGIN_TURN_WAIT_MS,
    redis: services.redis,
    now: services.now,
  })

  app.post<{ Body: LoginBody }>(
    '/auth/login',
    {
      schema: routeSchema({
        tags,
        summary: "Exchange a build target's one-time login code for a token pair",
        description:
          '`platform` names the build target (default `mp-weixin`), `appId` one of its configured AppIDs (default: the first). ' +
          'WeChat targets answer `WX_*` codes, the other vendors `PROVIDER_*` codes.',
        body: loginBodySchema,
        response: {
          200: sessionSchema,
          ...errors({
            ...commonErrors,
            400:
              'BAD_REQUEST, PLATFORM_NOT_CONFIGURED, APPID_NOT_CONFIGURED, WX_CODE_INVALID (40029), ' +
              'WX_CODE_USED (40163, or the code was seen before), PROVIDER_CODE_INVALID, PROVIDER_CODE_USED (the code was seen before)',
            403: 'WX_USER_BLOCKED (40226)',
            429:
              'RATE_LIMITED: too many rejected codes from this address (Retry-After: when its next token is back); ' +
              'WX_RATE_LIMITED (45011); PROVIDER_RATE_LIMITED',
            502: 'WX_UNAVAILABLE, WX_ERROR, PROVIDER_UNAVAILABLE, PROVIDER_SIGNATURE_INVALID, PROVIDER_ERROR',
            503: 'WX_BUSY (-1), STORE_UNAVAILABLE',
          }),
        },
      }),
    },
    async (request) => {
      const { code, platform = 'mp-weixin', appId: askedAppId } = request.body
      const { provider, appId } = providers.select(platform, askedAppId)
      const identity = await loginGuard.run(request, async () => {
        await claimLoginCode(store, platform, appId, code)
        return provider.exchange(code, appId)
      })
      return issueLoginSession(services, identity)
    },
  )

  app.post<{ Body: RefreshBody }>(
    '/auth/refresh',
    {
      config: { rateLimit: perAddress(config.rateLimit.refresh) },
      schema: routeSchema({
        tags,
        summary: 'Rotate a refresh token into a new token pair',
        description:
          'The sent refresh token is spent and its successor saved in one atomic step; a 503 means nothing changed (retry ' +
          `with the same token). Presenting a spent token again revokes its whole family, except within the grace window ` +
          `(\`REFRESH_GRACE_SECONDS\`, default ${SERVER_DEFAULTS.refreshGraceSeconds} s) after its rotation while the successor it got ` +
          'is still unused: that is a retry whose answer was lost, and it gets a new successor that replaces the unused one.',
        body: refreshBodySchema,
        response: {
          200: sessionSchema,
          ...errors({ ...commonErrors, 401: 'AUTH_REFRESH_INVALID: unknown, expired, revoked or replayed', 429: 'RATE_LIMITED' }),
        },
      }),
    },
    async (request) => {
      // The successor exists before the rotation: spending the token and saving it are one step.
      const successor = newRefreshToken()
      const result = await store.rotateRefreshToken(
        hashRefreshToken(request.body.refreshToken),
        { hash: successor.hash, expiresAt: refreshExpiry(services) },
        { graceMs: config.refreshGraceSeconds * 1000 },
      )
      if (result.status === 'reused') {
        request.log.warn({ familyId: result.familyId }, 'rotated refresh token replayed; family revoked')
      }
      if (result.status !== 'ok' || !result.user)
        throw new HttpAuthError('AUTH_REFRESH_INVALID', 'Refresh token invalid, expired or revoked')
      if (result.retried) request.log.info({ familyId: result.familyId }, 'refresh retried within the grace window; successor replaced')
      return sessionResponse(services, result.user, result.familyId, successor)
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
          'Send the refresh token in the body, or no body at all and only `Authorization: Bearer <access token>` (also ' +
          'accepted after the token expired, for as long as its refresh tokens could live). Access tokens stay valid until `exp`.',
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
          // No body is expected, but one sent is still parsed: malformed JSON, too large or not JSON.
          ...errors({ ...commonErrors, 401: 'AUTH_TOKEN_MISSING, AUTH_TOKEN_INVALID, AUTH_TOKEN_EXPIRED' }),
        },
      }),
    },
    async (request, reply) => {
      await store.revokeAllFamiliesOfUser((await verifyForLogout(request)).userId)
      return reply.status(204).send()
    },
  )
}
