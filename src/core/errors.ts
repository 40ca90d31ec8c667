/**
 * Every failure the plugin reports is an `AuthError` with a stable `code`, so callers can branch on
 * `err.code` instead of parsing messages, and the original failure stays reachable as `cause`.
 */
export type AuthErrorCode =
  /** The platform's `login()` (wx.login) failed or returned no code. */
  | 'LOGIN_PLATFORM_FAILED'
  /** The code → token exchange with your backend failed (network, non-2xx, malformed body). */
  | 'LOGIN_EXCHANGE_FAILED'
  /** Login (code + exchange, or the session check) did not finish within `loginTimeoutMs`. */
  | 'LOGIN_TIMEOUT'
  /** Several logins failed in a row; automatic attempts pause until `retryAfterMs` has passed. */
  | 'LOGIN_BACKOFF'
  /** `logout()` was called while this caller was waiting for a login. */
  | 'LOGGED_OUT'
  /** The exchange's own request went through the auth interceptor and would wait for itself. */
  | 'LOGIN_DEADLOCK'
  /** The call needs a session and there is none (and it must not start a login itself). */
  | 'NOT_AUTHENTICATED'
  /** The backend refused to bind the phone number (bad or expired code, WeChat error). */
  | 'PHONE_BIND_FAILED'
  /** The plugin was configured or used wrongly; the message says how to fix it. */
  | 'INVALID_OPTIONS'

export interface AuthErrorDetails {
  cause?: unknown
  /** For `LOGIN_BACKOFF`: how long until the next automatic attempt is allowed. */
  retryAfterMs?: number
}

const AUTH_ERROR_BRAND = Symbol.for('uni-mp-auth.AuthError')

export class AuthError extends Error {
  override readonly name = 'AuthError' as const
  readonly code: AuthErrorCode
  override readonly cause?: unknown
  readonly retryAfterMs?: number
  /**
   * uni-app callers read `fail(res)` as `res.errMsg`; giving the error one keeps them working when
   * the plugin fails a request on their behalf.
   */
  errMsg: string

  constructor(code: AuthErrorCode, message: string, details: AuthErrorDetails = {}) {
    super(message)
    this.code = code
    this.cause = details.cause
    this.retryAfterMs = details.retryAfterMs
    this.errMsg = `uni-mp-auth:fail ${code} ${message}`
    Object.defineProperty(this, AUTH_ERROR_BRAND, { value: true })
  }
}

/** Realm-safe check: works across bundles and duplicated copies of the plugin, unlike `instanceof`. */
export function isAuthError(value: unknown): value is AuthError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[AUTH_ERROR_BRAND] === true
}

/** Wraps anything thrown by user code or the platform, keeping an existing `AuthError` as it is. */
export function toAuthError(value: unknown, code: AuthErrorCode, message: string): AuthError {
  if (isAuthError(value)) return value
  const reason = describe(value)
  return new AuthError(code, reason ? `${message}: ${reason}` : message, { cause: value })
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message
  if (typeof value === 'string') return value
  if (typeof value === 'object' && value !== null && typeof (value as { errMsg?: unknown }).errMsg === 'string') {
    return (value as { errMsg: string }).errMsg
  }
  return ''
}
