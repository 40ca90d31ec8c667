import type { FastifyInstance } from 'fastify'
import { authenticatedUserId, requireUser } from '../auth/require-user.js'
import { AuthError } from '../errors.js'
import { installMultipartBodyParser, parseMultipart } from '../http/multipart.js'
import { toPublicUser } from '../http/public-user.js'
import type { Services } from '../services.js'
import type { UserRecord } from '../store/types.js'
import type { PhoneInfo } from '../wechat/client.js'
import { WX_ACCESS_TOKEN_REJECTED } from '../wechat/errcodes.js'
import { type CodeBody, codeBodySchema } from './schemas.js'

/** Largest accepted avatar upload: the whole multipart body, in bytes. */
export const AVATAR_BODY_LIMIT = 2 * 1024 * 1024

async function currentUser(services: Services, userId: string): Promise<UserRecord> {
  const user = await services.store.getUserById(userId)
  // A valid token for a deleted user must still send the client back through login.
  if (!user) throw new AuthError('AUTH_USER_NOT_FOUND', 'User no longer exists')
  return user
}

async function phoneFromWechat(services: Services, phoneCode: string): Promise<PhoneInfo> {
  const accessToken = await services.wxAccessToken.get()
  try {
    return await services.wechat.getPhoneNumber(accessToken, phoneCode)
  } catch (error) {
    // WeChat may revoke a token before its announced expiry; one retry with a fresh token.
    if (error instanceof AuthError && error.wxErrcode !== undefined && WX_ACCESS_TOKEN_REJECTED.has(error.wxErrcode)) {
      return services.wechat.getPhoneNumber(await services.wxAccessToken.invalidate(accessToken), phoneCode)
    }
    throw error
  }
}

export function registerUserRoutes(app: FastifyInstance, services: Services): void {
  const authenticate = requireUser(services.accessTokens)

  app.get('/me', { preHandler: authenticate }, async (request) => {
    return { user: toPublicUser(await currentUser(services, authenticatedUserId(request))) }
  })

  app.post<{ Body: CodeBody }>('/auth/phone', { schema: { body: codeBodySchema }, preHandler: authenticate }, async (request) => {
    const user = await currentUser(services, authenticatedUserId(request))
    const phone = await phoneFromWechat(services, request.body.code)
    const updated = await services.store.setUserPhone(user.id, phone.purePhoneNumber)
    if (!updated) throw new AuthError('AUTH_USER_NOT_FOUND', 'User no longer exists')
    return { user: toPublicUser(updated) }
  })

  // Multipart is accepted in this scope only, with its own body limit; every other route keeps
  // refusing it (415). Auth runs in onRequest, so an anonymous upload is refused before its body
  // is read. The demo's "Upload avatar" button (uni.uploadFile, field `avatar`) lands here.
  void app.register(async (scope) => {
    installMultipartBodyParser(scope, AVATAR_BODY_LIMIT)
    scope.post('/me/avatar', { onRequest: authenticate }, async (request) => {
      await currentUser(services, authenticatedUserId(request))
      const body = request.body
      if (!Buffer.isBuffer(body)) throw new AuthError('BAD_REQUEST', 'Send multipart/form-data with an `avatar` file')
      const avatar = parseMultipart(body, request.headers['content-type']).find((part) => part.name === 'avatar')
      if (!avatar) throw new AuthError('BAD_REQUEST', 'multipart field `avatar` missing')
      // The reference backend only acknowledges the upload; storing images is the app's business.
      return { bytes: avatar.data.length }
    })
  })
}
