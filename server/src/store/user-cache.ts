import { LRUCache } from 'lru-cache'
import type { Clock } from '../base/clock.js'
import type { UserRecord } from './types.js'

export interface UserCacheOptions {
  /** How long a user read from the database may be served from memory. */
  ttlMs: number
  /** Users kept at most (least recently used ones go first). @default 10000 */
  max?: number
  now: Clock
}

/**
 * Users recently read or written by this instance. Every authenticated request looks its user
 * up, and a client sends many requests in a row: the lookup is answered from memory for a short
 * while. Writes through this instance update the entry at once; a write through another instance
 * shows here after at most `ttlMs`.
 */
export class UserCache {
  private readonly entries: LRUCache<string, { user: UserRecord; expiresAt: number }>
  private readonly ttlMs: number
  private readonly now: Clock

  constructor({ ttlMs, max = 10_000, now }: UserCacheOptions) {
    this.entries = new LRUCache({ max })
    this.ttlMs = ttlMs
    this.now = now
  }

  get(id: string): UserRecord | undefined {
    const entry = this.entries.get(id)
    if (entry === undefined) return undefined
    if (entry.expiresAt > this.now()) return entry.user
    this.entries.delete(id)
    return undefined
  }

  set(user: UserRecord): void {
    this.entries.set(user.id, { user, expiresAt: this.now() + this.ttlMs })
  }

  delete(id: string): void {
    this.entries.delete(id)
  }
}
