import type { Session } from './types.js'

/**
 * Bumped when the stored shape changes. Format 2 added the logged-out mark; a format-1 value (0.2
 * and earlier) is still read: it always held a session, so it restores as logged in.
 */
const FORMAT = 2

/** What is stored under the key: a session, the mark of an explicit logout, or nothing usable. */
export type StoredState = Session | 'logged-out' | null

export function serializeSession(session: Session | 'logged-out'): string {
  return JSON.stringify(session === 'logged-out' ? { v: FORMAT, loggedOut: true } : { v: FORMAT, ...session })
}

/**
 * Reads a stored session. Anything that is not exactly what `serializeSession` wrote (another app's
 * value under our key, a truncated write, a hand-edited entry) counts as no session, never a crash.
 */
export function parseSession(raw: string | null): StoredState {
  let value: Record<string, unknown>
  try {
    value = JSON.parse(raw as string)
  } catch {
    return null
  }
  if (!isObject(value) || (value.v !== FORMAT && value.v !== 1)) return null
  if (value.v === FORMAT && value.loggedOut === true) return 'logged-out'
  const { token, expiresAt, renewAt, generation, refreshToken, user } = value
  const valid =
    typeof token === 'string' &&
    token !== '' &&
    isTimeOrNull(expiresAt) &&
    isTimeOrNull(renewAt) &&
    Number.isInteger(generation) &&
    (generation as number) >= 0 &&
    (refreshToken === null || typeof refreshToken === 'string') &&
    (user === null || isObject(user))
  return valid ? ({ token, expiresAt, renewAt, generation, refreshToken, user } as Session) : null
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isTimeOrNull(value: unknown): boolean {
  return value === null || Number.isFinite(value)
}
