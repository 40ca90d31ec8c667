import { AuthError, toAuthError } from '../core/errors.js'
import { isObject } from '../core/persisted-session.js'
import type { AuthUser } from '../core/types.js'
import { isOk, postJson, type UniResponse } from '../uni/own-requests.js'
import { resolveUrl } from '../uni/url.js'
import { authContext } from '../vue/auth-context.js'

export interface BindPhoneOptions {
  /**
   * Your backend's phone endpoint, relative to `baseUrl`: POST `{ code, appId? }` with the token → `{ user }`.
   * `appId` is the `target.appId` the login names, so a backend with several mini-programs binds
   * through the one this app is. @default '/auth/phone'
   */
  url?: string
}

/**
 * Sends the `getPhoneNumber` button's `detail.code` to the backend with the current token and
 * stores the returned user. Its own entry point (`uni-mp-auth/phone`), so apps without it pay nothing.
 *
 * It never logs in on the way: a new `uni.login` would rotate `session_key` between the tap and the
 * bind. So it bypasses the interceptor (no session wait, no 401 replay) and fails with
 * `NOT_AUTHENTICATED` when there is no session yet.
 */
export async function bindPhone(code: string, { url = '/auth/phone' }: BindPhoneOptions = {}): Promise<AuthUser> {
  const { engine, config } = authContext()
  if (typeof code !== 'string' || !code) {
    throw new AuthError('INVALID_OPTIONS', 'bindPhone(code) needs the non-empty `detail.code` of the getPhoneNumber event')
  }
  const session = engine.session
  if (!session) throw new AuthError('NOT_AUTHENTICATED', 'bindPhone() needs a session: await ensureSession() first')
  const endpoint = resolveUrl(config.baseUrl, url)
  let response: UniResponse
  try {
    response = await postJson(config.uni, endpoint, { code, appId: config.target?.appId }, config.header(session.token))
  } catch (error) {
    throw toAuthError(error, 'PHONE_BIND_FAILED', 'the phone binding request failed')
  }
  const user = (response.data as { user?: unknown } | undefined)?.user
  if (!isOk(response) || !isObject(user)) {
    throw new AuthError('PHONE_BIND_FAILED', `${endpoint} answered HTTP ${response.statusCode} without { user }`, response.data)
  }
  engine.updateUser(user)
  return user
}
