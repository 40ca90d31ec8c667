import type { Session } from './types.js'

/** Bumped when the stored shape changes; older values then count as absent. */
const FORMAT = 1

export function serializeSession(session: Session): string {
  return JSON.stringify({ v: FORMAT, ...session })
}

/**
 * Reads a stored session. Anything that is not exactly what `serializeSession` wrote (another app's
 * value under our key, a truncated write, a hand-edited entry) counts as no session, never a crash.
 */
export function parseSession(raw: string | null): Session | null {
  let value: Record<string, unknown>
  try {
    value = JSON.parse(raw as string)
  } catch {
    return null
  }
  if (!isObject(value) || value.v !== FORMAT) return null
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
