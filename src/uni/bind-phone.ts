import { AuthError, toAuthError } from '../core/errors'
import type { SessionEngine } from '../core/session-engine'
import type { AuthUser } from '../core/types'
import type { NormalizedOptions } from './options'
import { withMarker } from './request-marker'

/**
 * Sends the `getPhoneNumber` button's `detail.code` to the backend with the current token.
 * It must never start a login on the way: a new `uni.login` rotates `session_key` between the tap
 * and the bind. So it bypasses the interceptor (no session wait, no 401 relogin) and fails with
 * `NOT_AUTHENTICATED` when there is no session yet.
 */
export function bindPhone(engine: SessionEngine, options: NormalizedOptions, code: string): Promise<AuthUser> {
  const { uniApi, phoneUrl, tokenHeader, formatToken } = options
  if (!phoneUrl) {
    return Promise.reject(new AuthError('INVALID_OPTIONS', 'bindPhone() needs `phoneUrl` in createUniAuth() options'))
  }
  if (typeof code !== 'string' || code === '') {
    return Promise.reject(new AuthError('INVALID_OPTIONS', 'bindPhone(code) needs the non-empty `detail.code` of the getPhoneNumber event'))
  }
  const session = engine.session
  if (!session) {
    return Promise.reject(new AuthError('NOT_AUTHENTICATED', 'bindPhone() needs a session: wait for ensureSession() first'))
  }
  return new Promise<AuthUser>((resolve, reject) => {
    uniApi.request(
      withMarker(
        {
          url: phoneUrl,
          method: 'POST',
          data: { code },
          header: { 'content-type': 'application/json', [tokenHeader]: formatToken(session.token) },
          success: (res: { statusCode?: number; data?: unknown }) => {
            const user = (res.data as { user?: unknown } | null)?.user
            const ok = typeof res.statusCode === 'number' && res.statusCode >= 200 && res.statusCode < 300
            if (ok && typeof user === 'object' && user !== null && !Array.isArray(user)) {
              engine.updateUser(user as AuthUser)
              resolve(user as AuthUser)
            } else {
              reject(new AuthError('PHONE_BIND_FAILED', `${phoneUrl} answered HTTP ${String(res.statusCode)}`, { cause: res.data }))
            }
          },
          fail: (error: unknown) => reject(toAuthError(error, 'PHONE_BIND_FAILED', 'the phone binding request failed')),
        },
        { kind: 'bypass' },
      ),
    )
  })
}
