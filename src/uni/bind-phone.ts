import { AuthError, toAuthError } from '../core/errors'
import type { SessionEngine } from '../core/session-engine'
import type { AuthUser } from '../core/types'
import { bypassPost, isSuccess, type JsonResponse } from './bypass-post'
import type { NormalizedOptions } from './options'

/**
 * Sends the `getPhoneNumber` button's `detail.code` to the backend with the current token.
 * It must never start a login on the way: a new `uni.login` rotates `session_key` between the tap
 * and the bind. So it bypasses the interceptor (no session wait, no 401 relogin) and fails with
 * `NOT_AUTHENTICATED` when there is no session yet.
 */
export async function bindPhone(engine: SessionEngine, options: NormalizedOptions, code: string): Promise<AuthUser> {
  const { uniApi, phoneUrl, tokenHeader, formatToken } = options
  if (!phoneUrl) {
    throw new AuthError('INVALID_OPTIONS', 'bindPhone() needs `phoneUrl` in createUniAuth() options')
  }
  if (typeof code !== 'string' || code === '') {
    throw new AuthError('INVALID_OPTIONS', 'bindPhone(code) needs the non-empty `detail.code` of the getPhoneNumber event')
  }
  const session = engine.session
  if (!session) {
    throw new AuthError('NOT_AUTHENTICATED', 'bindPhone() needs a session: wait for ensureSession() first')
  }
  let response: JsonResponse
  try {
    response = await bypassPost({
      uniApi,
      url: phoneUrl,
      body: { code },
      header: { [tokenHeader]: formatToken(session.token) },
    })
  } catch (error) {
    throw toAuthError(error, 'PHONE_BIND_FAILED', 'the phone binding request failed')
  }
  const user = (response.data as { user?: unknown } | null | undefined)?.user
  if (!isSuccess(response) || typeof user !== 'object' || user === null || Array.isArray(user)) {
    throw new AuthError('PHONE_BIND_FAILED', `${phoneUrl} answered HTTP ${response.statusCode}`, { cause: response.data })
  }
  engine.updateUser(user as AuthUser)
  return user as AuthUser
}
