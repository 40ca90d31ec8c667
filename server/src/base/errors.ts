// The backend's error types live in this module only: HttpAuthError (API answers), ConfigError
// (start-up) and SemaphoreTimeoutError (internal).

/**
 * Every failure the API reports, with the HTTP status it maps to.
 * Codes are part of the public contract: clients branch on them, so never rename one.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  EXPECTATION_FAILED: 417,
  HEADERS_TOO_LARGE: 431,
  RATE_LIMITED: 429,
  AUTH_TOKEN_MISSING: 401,
  AUTH_TOKEN_INVALID: 401,
  AUTH_TOKEN_EXPIRED: 401,
  AUTH_REFRESH_INVALID: 401,
  AUTH_USER_NOT_FOUND: 401,
  WX_CODE_INVALID: 400,
  WX_CODE_USED: 400,
  WX_USER_BLOCKED: 403,
  WX_DATA_INVALID: 400,
  WX_RATE_LIMITED: 429,
  WX_BUSY: 503,
  WX_UNAVAILABLE: 502,
  WX_ERROR: 502,
  PLATFORM_NOT_CONFIGURED: 400,
  APPID_NOT_CONFIGURED: 400,
  PROVIDER_CODE_INVALID: 400,
  PROVIDER_CODE_USED: 400,
  PROVIDER_RATE_LIMITED: 429,
  PROVIDER_UNAVAILABLE: 502,
  PROVIDER_SIGNATURE_INVALID: 502,
  PROVIDER_ERROR: 502,
  IDENTITY_CONFLICT: 409,
  LAST_IDENTITY: 409,
  IDENTITY_NOT_FOUND: 404,
  STORE_UNAVAILABLE: 503,
  NOT_READY: 503,
  INTERNAL: 500,
} as const satisfies Record<string, number>

export type ErrorCode = keyof typeof ERROR_STATUS

export interface ErrorBody {
  code: ErrorCode
  message: string
}

/**
 * The one error type of the HTTP API: a stable `code`, its HTTP status and a safe message. Named
 * apart from the client package's `HttpAuthError`, whose fields differ (`retryAfterMs`).
 */
export class HttpAuthError extends Error {
  override readonly name = 'HttpAuthError'
  readonly code: ErrorCode
  readonly statusCode: number
  /** WeChat's own errcode when the failure came from WeChat; kept for logs, never sent. */
  readonly wxErrcode: number | undefined
  /** Another vendor's own error code (Alipay `sub_code`, Douyin `err_no`); kept for logs, never sent. */
  readonly providerCode: string | undefined
  /** Sent as `Retry-After` (seconds): when the client may try again. */
  readonly retryAfterSeconds: number | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; wxErrcode?: number; providerCode?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.statusCode = ERROR_STATUS[code]
    this.wxErrcode = options.wxErrcode
    this.providerCode = options.providerCode
    this.retryAfterSeconds = options.retryAfterSeconds
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message }
  }
}

/** Realm-safe guard (errors may cross module copies in tests). */
export function isHttpAuthError(value: unknown): value is HttpAuthError {
  return value instanceof Error && value.name === 'HttpAuthError' && typeof (value as HttpAuthError).code === 'string'
}

/** No permit of a `KeyedSemaphore` within the wait allowed; never leaves the server (the login guard answers 429). */
export class SemaphoreTimeoutError extends Error {
  override readonly name = 'SemaphoreTimeoutError'
}

/** A configuration that cannot work, found at start-up; the message says what to change. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}
