import { randomBytes, randomUUID } from 'node:crypto'
import { sha256Hex } from '../store/hash.js'

export interface NewRefreshToken {
  /** Opaque value handed to the client once; only its hash is stored. */
  token: string
  hash: string
}

/** 256 random bits: unguessable, so a fast unsalted sha256 is enough to store it. */
export function newRefreshToken(): NewRefreshToken {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: sha256Hex(token) }
}

export function hashRefreshToken(token: string): string {
  return sha256Hex(token)
}

export function newFamilyId(): string {
  return randomUUID()
}
