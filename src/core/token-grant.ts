import { AuthError } from './errors'
import type { TokenGrant } from './types'

/**
 * Checks what the backend (or a custom exchange) returned before the engine trusts it: a malformed
 * grant is a failed login, never a session with `token: undefined`.
 */
export function assertTokenGrant(value: unknown): TokenGrant {
  const fail = (why: string): never => {
    throw new AuthError('LOGIN_EXCHANGE_FAILED', `the exchange returned an invalid grant: ${why}`, { cause: value })
  }
  if (typeof value !== 'object' || value === null) return fail('expected an object')
  const { token, expiresIn, refreshToken, user } = value as Record<string, unknown>
  if (typeof token !== 'string' || token === '') return fail('`token` must be a non-empty string')
  if (expiresIn !== undefined && expiresIn !== null && !(typeof expiresIn === 'number' && expiresIn > 0 && Number.isFinite(expiresIn))) {
    return fail('`expiresIn` must be a positive number of seconds')
  }
  if (refreshToken !== undefined && refreshToken !== null && typeof refreshToken !== 'string') {
    return fail('`refreshToken` must be a string')
  }
  if (user !== undefined && user !== null && (typeof user !== 'object' || Array.isArray(user))) {
    return fail('`user` must be an object')
  }
  return {
    token,
    expiresIn: typeof expiresIn === 'number' ? expiresIn : undefined,
    refreshToken: typeof refreshToken === 'string' ? refreshToken : undefined,
    user: (user as TokenGrant['user']) ?? null,
  }
}
