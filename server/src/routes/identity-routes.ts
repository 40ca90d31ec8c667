import type { FastifyInstance } from 'fastify'
import { claimLoginCode } from '../auth/claim-code.js'
import { authenticatedUserId } from '../auth/require-user.js'
import { HttpAuthError } from '../base/errors.js'
import { toPublicIdentity } from '../http/public-identity.js'
import { perUser } from '../http/rate-limits.js'
import type { Services } from '../services/services.js'
import { routeSchema } from './openapi-schema.js'
import {
  bearerSecurity,
  commonErrors,
  errors,
  type IdentityParams,
  identitiesBodySchema,
  identityParamsSchema,
  type LinkBody,
  linkBodySchema,
  noContent,
} from './schemas.js'

const tokenErrors = 'AUTH_TOKEN_MISSING, AUTH_TOKEN_INVALID, AUTH_TOKEN_EXPIRED'
const tags = ['identities']

/** Link, unlink and list the identities (ways of logging in) of the current user. */
export function registerIdentityRoutes(app: FastifyInstance, services: Services): void {
  const { store, requireUser, config } = services

  const identitiesOf = async (userId: string) => ({ identities: (await store.listIdentities(userId)).map(toPublicIdentity) })

  app.get(
    '/me/identities',
    {
      preHandler: requireUser,
      schema: routeSchema({
        tags,
        summary: "The current user's identities",
        security: bearerSecurity,
        response: { 200: identitiesBodySchema, ...errors({ 401: tokenErrors, 500: 'INTERNAL', 503: 'STORE_UNAVAILABLE' }) },
      }),
    },
    async (request) => identitiesOf(authenticatedUserId(request)),
  )

  app.post<{ Body: LinkBody }>(
    '/auth/link',
    {
      preHandler: requireUser,
      // Each attempt may cost an upstream exchange, like a login code: the same budget, per user.
      config: { rateLimit: perUser(config.rateLimit.loginFailures) },
      schema: routeSchema({
        tags,
        summary: "Link another build target's identity to the current user",
        description:
          'Exchanges a login code of that target and adds its identity to the user, who can then log in with it. ' +
          'Linking an identity the user already has changes nothing. Never merges two users.',
        security: bearerSecurity,
        body: linkBodySchema,
        response: {
          200: identitiesBodySchema,
          ...errors({
            ...commonErrors,
            400: 'BAD_REQUEST (also: no provider configured for that target or AppID), WX_CODE_INVALID, WX_CODE_USED',
            401: `${tokenErrors}, AUTH_USER_NOT_FOUND`,
            403: 'WX_USER_BLOCKED',
            409: 'IDENTITY_CONFLICT: the identity (or the person behind its unionid) belongs to another user, or the user already has another identity in that app',
            429: 'RATE_LIMITED (per user), WX_RATE_LIMITED',
            502: 'WX_UNAVAILABLE, WX_ERROR',
            503: 'WX_BUSY, STORE_UNAVAILABLE',
          }),
        },
      }),
    },
    async (request) => {
      const userId = authenticatedUserId(request)
      const { code, platform, appId: askedAppId } = request.body
      const { provider, appId } = services.providers.select(platform, askedAppId)
      await claimLoginCode(store, platform, appId, code)
      await store.linkIdentity(userId, await provider.exchange(code, appId))
      return identitiesOf(userId)
    },
  )

  app.delete<{ Params: IdentityParams }>(
    '/auth/identities/:provider/:appId',
    {
      preHandler: requireUser,
      schema: routeSchema({
        tags,
        summary: "Unlink the current user's identity in one app",
        description:
          'The identity can no longer log in to this user; logging in with it later starts a new user. The last identity cannot be removed.',
        security: bearerSecurity,
        params: identityParamsSchema,
        response: {
          204: noContent,
          ...errors({
            // A body sent anyway is parsed as on every route.
            ...commonErrors,
            400: 'BAD_REQUEST: unknown provider or malformed AppID (or a malformed body)',
            401: tokenErrors,
            404: 'IDENTITY_NOT_FOUND: the user has no identity in that app',
            409: 'LAST_IDENTITY: it is the only way this user can log in',
          }),
        },
      }),
    },
    async (request, reply) => {
      const { provider, appId } = request.params
      if (!(await store.unlinkIdentity(authenticatedUserId(request), provider, appId))) {
        throw new HttpAuthError('IDENTITY_NOT_FOUND', `This account has no ${provider} identity in app ${appId}`)
      }
      return reply.status(204).send()
    },
  )
}
