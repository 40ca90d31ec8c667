/**
 * Log paths that must never be written. Defence in depth: the code does not log these
 * values in the first place, this catches the day someone logs a whole object.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'session_key',
  'sessionKey',
  'secret',
  'refreshToken',
  'token',
  '*.session_key',
  '*.sessionKey',
  '*.secret',
  '*.refreshToken',
  '*.token',
]
