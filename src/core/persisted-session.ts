import type { Session } from './types'

const FORMAT_VERSION = 1

/** Serializes a session for storage, tagged with a format version so future formats can migrate. */
export function serializeSession(session: Session): string {
  return JSON.stringify({ v: FORMAT_VERSION, ...session })
}

/**
 * Reads a stored session. Anything that is not exactly what `serializeSession` wrote (another
 * app's value under our key, a truncated write, a hand-edited entry) counts as no session.
 */
export function parseSession(raw: unknown): Session | null {
  if (typeof raw !== 'string' || raw === '') return null
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return null
  }
  if (!isRecord(value) || value.v !== FORMAT_VERSION) return null
  const { token, expiresAt, renewAt, generation, refreshToken, user } = value
  if (typeof token !== 'string' || token === '') return null
  if (expiresAt !== null && !isFiniteNumber(expiresAt)) return null
  if (renewAt !== null && !isFiniteNumber(renewAt)) return null
  if (!isFiniteNumber(generation) || generation < 0 || !Number.isInteger(generation)) return null
  if (refreshToken !== null && typeof refreshToken !== 'string') return null
  if (user !== null && !isRecord(user)) return null
  return { token, expiresAt, renewAt, generation, refreshToken, user }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}
