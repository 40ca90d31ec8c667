import { AuthError } from './errors.js'
import { isObject } from './persisted-session.js'
import type { TokenGrant } from './types.js'

/**
 * Checks what the backend (or a custom login function) returned before the engine trusts it: a
 * malformed grant is a failed login, never a session with `token: undefined`.
 */
export function assertTokenGrant(value: unknown): TokenGrant {
  const { token, expiresIn, refreshToken, user } = Object(value) as Record<keyof TokenGrant, unknown>
  const valid =
    typeof token === 'string' &&
    token !== '' &&
    (expiresIn == null || (typeof expiresIn === 'number' && expiresIn > 0 && expiresIn < Infinity)) &&
    (refreshToken == null || typeof refreshToken === 'string') &&
    (user == null || isObject(user))
  if (!valid) {
    throw new AuthError(
      'LOGIN_EXCHANGE_FAILED',
      'the login answer must be { token: string, expiresIn?: seconds, refreshToken?: string, user?: object }',
      value,
    )
  }
  return value as TokenGrant
}
