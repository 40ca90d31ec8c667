/**
 * Every failure the plugin reports is an `AuthError` with a stable `code`, so callers branch on
 * `error.code` instead of parsing messages; the original failure stays reachable as `cause`.
 */
export type AuthErrorCode =
  /** The platform's `login()` (wx.login) failed or returned no code. */
  | 'LOGIN_PLATFORM_FAILED'
  /** The code → token exchange with your backend failed (network, non-2xx, malformed grant). */
  | 'LOGIN_EXCHANGE_FAILED'
  /** A login attempt (session check, code and exchange) did not finish within `loginTimeoutMs`. */
  | 'LOGIN_TIMEOUT'
  /** Logins failed in a row; automatic attempts pause until `retryAfterMs` has passed. */
  | 'LOGIN_BACKOFF'
  /** `logout()` was called while this caller was waiting for a login. */
  | 'LOGGED_OUT'
  /** The login's own request went through the auth interceptor and would wait for itself. */
  | 'LOGIN_DEADLOCK'
  /** The call needs a session and there is none (and it must not start a login itself). */
  | 'NOT_AUTHENTICATED'
  /** The backend refused to bind the phone number. */
  | 'PHONE_BIND_FAILED'
  /** The plugin was configured or used wrongly; the message says how to fix it. */
  | 'INVALID_OPTIONS'

const BRAND = Symbol.for('uni-mp-auth.AuthError')

export class AuthError extends Error {
  override readonly name = 'AuthError' as const
  readonly code: AuthErrorCode
  override readonly cause?: unknown
  /** How long until the next automatic login attempt is allowed (backoff, or the server's `Retry-After`). */
  readonly retryAfterMs?: number
  /**
   * uni-app callers read `fail(result)` as `result.errMsg`; giving the error one keeps them working
   * when the plugin fails a request on their behalf.
   */
  readonly errMsg: string

  constructor(code: AuthErrorCode, message: string, cause?: unknown, retryAfterMs?: number) {
    super(message)
    this.code = code
    this.cause = cause
    this.retryAfterMs = retryAfterMs
    this.errMsg = `uni-mp-auth:fail ${code} ${message}`
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** Realm-safe check: works across bundles and duplicated copies of the plugin, unlike `instanceof`. */
export function isAuthError(value: unknown): value is AuthError {
  return (value as Record<symbol, unknown> | null)?.[BRAND] === true
}

/** Wraps anything thrown by user code or the platform, keeping an existing `AuthError` as it is. */
export function toAuthError(value: unknown, code: AuthErrorCode, message: string): AuthError {
  if (isAuthError(value)) return value
  // Error and uni's fail payload ({ errMsg }) carry their reason under different names.
  const { message: text, errMsg } = Object(value) as { message?: unknown; errMsg?: unknown }
  const detail = typeof value === 'string' ? value : text || errMsg
  return new AuthError(code, detail ? `${message}: ${detail}` : message, value)
}
