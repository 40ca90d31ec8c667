import { isAuthError } from '../core/errors.js'
import type { AuthEvent } from '../core/events.js'

/**
 * One line per event for `debug: true`: `[uni-mp-auth] login-end login=2 ms=84 outcome=failed
 * error=LOGIN_TIMEOUT`. A session shows as its generation only: tokens never reach the console.
 */
export function describeEvent({ type, at, ...detail }: AuthEvent): string {
  const fields = Object.entries(detail).map(([key, value]) => {
    const shown = isAuthError(value)
      ? value.code
      : key === 'session'
        ? value
          ? `generation ${(value as { generation: number }).generation}`
          : null
        : value
    return `${key}=${shown}`
  })
  return `[uni-mp-auth] ${type} ${fields.join(' ')}`.trimEnd()
}
