import { HttpAuthError, type ErrorCode } from '../base/errors.js'

/** WeChat errcodes we translate into our own stable codes; anything else becomes WX_ERROR. */
const WX_ERRCODE_MAP: Record<number, { code: ErrorCode; message: (retry: string) => string }> = {
  40029: { code: 'WX_CODE_INVALID', message: (retry) => `The login code is invalid or expired; ${retry}` },
  40163: { code: 'WX_CODE_USED', message: (retry) => `The login code has already been used; ${retry}` },
  45011: { code: 'WX_RATE_LIMITED', message: () => 'WeChat rate limit reached; retry later' },
  40226: { code: 'WX_USER_BLOCKED', message: () => 'WeChat blocked this high-risk user' },
  [-1]: { code: 'WX_BUSY', message: () => 'WeChat is busy; retry later' },
}

/** Access-token errcodes after which a fresh access_token may succeed. */
export const WX_ACCESS_TOKEN_REJECTED = new Set([40001, 42001, 40014])

/** `retry` tells the client how to get a new code (wx.login in a mini-program, a new authorization on H5). */
export function wxErrorFor(errcode: number, retry = 'call wx.login again'): HttpAuthError {
  const mapped = WX_ERRCODE_MAP[errcode]
  if (mapped) return new HttpAuthError(mapped.code, mapped.message(retry), { wxErrcode: errcode })
  return new HttpAuthError('WX_ERROR', `WeChat returned an error (errcode ${errcode})`, { wxErrcode: errcode })
}
