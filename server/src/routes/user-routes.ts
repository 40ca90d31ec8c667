import multipart from '@fastify/multipart'
import type { FastifyInstance } from 'fastify'
import { authenticatedUserId } from '../auth/require-user.js'
import { HttpAuthError } from '../base/errors.js'
import { countAvatarBytes } from '../http/avatar-upload.js'
import { toPublicUser } from '../http/public-user.js'
import { perUser } from '../http/rate-limits.js'
import type { MiniProgramApi, Services } from '../services/services.js'
import type { UserRecord } from '../store/types.js'
import { settingNames } from '../providers/settings.js'
import type { PhoneInfo } from '../wechat/client.js'
import { WX_ACCESS_TOKEN_REJECTED } from '../wechat/errcodes.js'
import { routeSchema } from './openapi-schema.js'
import { bearerSecurity, commonErrors, errors, type PhoneBody, phoneBodySchema, userBodySchema } from './schemas.js'

// Besides the file size: what one avatar upload may carry (busboy's limits; past any of them, a 413).
const MULTIPART_LIMITS = { files: 4, fields: 16, fieldSize: 4096, parts: 20, headerPairs: 20 }

const tokenErrors = { 401: 'AUTH_TOKEN_MISSING, AUTH_TOKEN_INVALID, AUTH_TOKEN_EXPIRED, AUTH_USER_NOT_FOUND' }
const tags = ['user']

async function currentUser(services: Services, userId: string): Promise<UserRecord> {
  const user = await services.store.getUserById(userId)
  // A valid token for a deleted user must still send the client back through login.
  if (!user) throw new HttpAuthError('AUTH_USER_NOT_FOUND', 'User no longer exists')
  return user
}

/**
 * The mini-program a getPhoneNumber code comes from: only that AppID's access_token can read it.
 * The one the request names, else the one the user has an identity in; a user with identities in
 * several must name it.
 */
async function phoneApp(services: Services, userId: string, appId: string | undefined): Promise<MiniProgramApi> {
  const { miniPrograms } = services
  if (miniPrograms.size === 0) {
    throw new HttpAuthError(
      'PLATFORM_NOT_CONFIGURED',
      `Phone binding reads getPhoneNumber codes of a WeChat mini-program, and none is configured on this server: set ${settingNames('mp-weixin')}`,
    )
  }
  if (appId !== undefined) {
    const named = miniPrograms.get(appId)
    // The sent value is not echoed back (see http/error-handler.ts).
    if (!named)
      throw new HttpAuthError(
        'APPID_NOT_CONFIGURED',
        `The appId sent is not a configured WeChat mini-program: add it to ${settingNames('mp-weixin')}`,
      )
    return named
  }
  const identities = await services.store.listIdentities(userId)
  // A user has at most one identity per app (see AuthStore.linkIdentity).
  const held = identities.filter((identity) => identity.provider === 'weixin' && miniPrograms.has(identity.appId))
  if (held.length > 1) {
    throw new HttpAuthError(
      'BAD_REQUEST',
      'This account has identities in several WeChat mini-programs: send the appId of the one the phone code comes from',
    )
  }
  const own = held[0] && miniPrograms.get(held[0].appId)
  if (!own) {
    throw new HttpAuthError(
      'IDENTITY_NOT_FOUND',
      'This account has no identity in a WeChat mini-program of this server: log in from the mini-program (or link it) before binding a phone number',
    )
  }
  return own
}

async function phoneFromWechat({ client, accessToken }: MiniProgramApi, phoneCode: string): Promise<PhoneInfo> {
  const token = await accessToken.get()
  try {
    return await client.getPhoneNumber(token, phoneCode)
  } catch (error) {
    // WeChat may revoke a token before its announced expiry; one retry with a fresh token.
    if (error instanceof HttpAuthError && error.wxErrcode !== undefined && WX_ACCESS_TOKEN_REJECTED.has(error.wxErrcode)) {
      return client.getPhoneNumber(await accessToken.invalidate(token), phoneCode)
    }
    throw error
  }
}

export function registerUserRoutes(app: FastifyInstance, services: Services): void {
  const { requireUser, config } = services

  app.get(
    '/me',
    {
      preHandler: requireUser,
      schema: routeSchema({
        tags,
        summary: 'The current user',
        security: bearerSecurity,
        response: { 200: userBodySchema, ...errors({ ...tokenErrors, 500: 'INTERNAL', 503: 'STORE_UNAVAILABLE' }) },
      }),
    },
    async (request) => {
      return { user: toPublicUser(await currentUser(services, authenticatedUserId(request))) }
    },
  )

  app.post<{ Body: PhoneBody }>(
    '/auth/phone',
    {
      preHandler: requireUser,
      config: { rateLimit: perUser(config.rateLimit.phone) },
      schema: routeSchema({
        tags,
        summary: 'Bind the phone number from a getPhoneNumber code',
        description:
          'The code is read with the access_token of the WeChat mini-program it comes from: `appId`, else the one the user has an identity in.',
        security: bearerSecurity,
        body: phoneBodySchema,
        response: {
          200: userBodySchema,
          ...errors({
            ...commonErrors,
            ...tokenErrors,
            400:
              'BAD_REQUEST (also: identities in several mini-programs and no appId), WX_CODE_INVALID, ' +
              'PLATFORM_NOT_CONFIGURED (no WeChat mini-program on this server), APPID_NOT_CONFIGURED',
            404: 'IDENTITY_NOT_FOUND: the account has no identity in a configured WeChat mini-program',
            429: 'RATE_LIMITED (per user), WX_RATE_LIMITED',
            502: 'WX_UNAVAILABLE, WX_ERROR',
            503: 'WX_BUSY, STORE_UNAVAILABLE',
          }),
        },
      }),
    },
    async (request) => {
      const user = await currentUser(services, authenticatedUserId(request))
      const phone = await phoneFromWechat(await phoneApp(services, user.id, request.body.appId), request.body.code)
      const updated = await services.store.setUserPhone(user.id, phone.purePhoneNumber)
      if (!updated) throw new HttpAuthError('AUTH_USER_NOT_FOUND', 'User no longer exists')
      return { user: toPublicUser(updated) }
    },
  )

  // Multipart is accepted in this scope only; every other route keeps refusing it (415). Auth runs
  // in onRequest, so an anonymous upload is refused before its body is read. The demo's "Upload
  // avatar" button (uni.uploadFile, field `avatar`) lands here.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: config.avatarMaxBytes, ...MULTIPART_LIMITS },
    })
    scope.post(
      '/me/avatar',
      {
        onRequest: requireUser,
        schema: routeSchema({
          tags,
          summary: 'Upload an avatar (uni.uploadFile, file field `avatar`)',
          description:
            `The reference backend only counts the bytes; storing images is the app's business. Largest file: ${config.avatarMaxBytes} ` +
            `bytes; at most ${MULTIPART_LIMITS.files} files, ${MULTIPART_LIMITS.fields} fields and ${MULTIPART_LIMITS.parts} parts per upload (413 past any).`,
          security: bearerSecurity,
          consumes: ['multipart/form-data'],
          body: {
            type: 'object',
            required: ['avatar'],
            properties: { avatar: { type: 'string', format: 'binary', description: 'The image file' } },
          },
          response: {
            200: {
              description: 'Received',
              type: 'object',
              required: ['bytes'],
              additionalProperties: false,
              properties: { bytes: { type: 'integer', description: 'Size of the uploaded file' } },
            },
            ...errors({
              ...commonErrors,
              ...tokenErrors,
              400: 'BAD_REQUEST: not multipart, malformed, or no `avatar` file',
              413:
                `PAYLOAD_TOO_LARGE: the file is over ${config.avatarMaxBytes} bytes, or the upload has more than ` +
                `${MULTIPART_LIMITS.files} files, ${MULTIPART_LIMITS.fields} fields or ${MULTIPART_LIMITS.parts} parts`,
            }),
          },
        }),
        // The body is a stream read in the handler, checked part by part as it arrives: the schema
        // above documents it for OpenAPI, it is not something ajv could validate.
        validatorCompiler: () => () => true,
      },
      async (request) => {
        await currentUser(services, authenticatedUserId(request))
        return { bytes: await countAvatarBytes(request) }
      },
    )
  })
}
