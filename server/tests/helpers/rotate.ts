import { randomUUID } from 'node:crypto'
import type { AuthStore } from '../../src/store/types.js'

export type RotateOutcome = { status: 'ok' | 'reused'; userId: string; familyId: string } | { status: 'invalid' }

/**
 * Rotates `hash` into a fresh successor (`<hash>+<uuid>`, valid one minute past `now`) with no
 * grace window unless given: the outcome without the user record, for tests of the rotation itself.
 */
export async function rotate(store: AuthStore, hash: string, { now = Date.now(), graceMs = 0 } = {}): Promise<RotateOutcome> {
  const result = await store.rotateRefreshToken(hash, { hash: `${hash}+${randomUUID()}`, expiresAt: now + 60_000 }, { graceMs })
  if (result.status === 'invalid') return result
  return { status: result.status, userId: result.userId, familyId: result.familyId }
}
