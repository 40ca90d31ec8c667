import multipart from '@fastify/multipart'
import type { FastifyInstance } from 'fastify'
import { authenticatedUserId } from '../auth/require-user.js'
import { HttpAuthError } from '../base/errors.js'
import { countAvatarBytes } from '../http/avatar-upload.js'
import { toPublicUser } from '../http/public-user.js'
import { perUser } from '../http/rate-limits.js'
import type { Services } from '../services/services.js'
import type { UserRecord } from '../store/types.js'
import type { PhoneInfo } from '../wechat/client.js'
import { WX_ACCESS_TOKEN_REJECTED } from '../wechat/errcodes.js'
import { routeSchema } from './openapi-schema.js'
import { bearerSecurity, type CodeBody, codeBodySchema, commonErrors, errors, userBodySchema } from './schemas.js'

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

async function phoneFromWechat(services: Services, phoneCode: string): Promise<PhoneInfo> {
  const accessToken = await services.wxAccessToken.get()
  try {
    return await services.wechat.getPhoneNumber(accessToken, phoneCode)
  } catch (error) {
    // WeChat may revoke a token before its announced expiry; one retry with a fresh token.
    if (error instanceof HttpAuthError && error.wxErrcode !== undefined && WX_ACCESS_TOKEN_REJECTED.has(error.wxErrcode)) {
      return services.wechat.getPhoneNumber(await services.wxAccessToken.invalidate(accessToken), phoneCode)
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

  app.post<{ Body: CodeBody }>(
    '/auth/phone',
    {
      preHandler: requireUser,
      config: { rateLimit: perUser(config.rateLimit.phone) },
      schema: routeSchema({
        tags,
        summary: 'Bind the phone number from a getPhoneNumber code',
        security: bearerSecurity,
        body: codeBodySchema,
        response: {
          200: userBodySchema,
          ...errors({
            ...commonErrors,
            ...tokenErrors,
            400: 'BAD_REQUEST, WX_CODE_INVALID',
            429: 'RATE_LIMITED (per user), WX_RATE_LIMITED',
            502: 'WX_UNAVAILABLE, WX_ERROR',
            503: 'WX_BUSY, STORE_UNAVAILABLE',
          }),
        },
      }),
    },
    async (request) => {
      const user = await currentUser(services, authenticatedUserId(request))
      const phone = await phoneFromWechat(services, request.body.code)
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
