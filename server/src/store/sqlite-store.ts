import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { type Clock, systemClock } from '../clock.js'
import { sha256Hex } from './hash.js'
import { SQLITE_SCHEMA } from './sqlite-schema.js'
import type { AuthStore, CachedAccessToken, RefreshConsumeResult, RefreshTokenRecord, UserRecord, WechatIdentity } from './types.js'

interface UserRow {
  id: string
  openid: string
  unionid: string | null
  phone: string | null
  created_at: number
}

interface RefreshRow {
  user_id: string
  family_id: string
  expires_at: number
  used_at: number | null
  revoked_at: number | null
}

const ACCESS_TOKEN_KEY = 'wx_access_token'

function toUser(row: UserRow): UserRecord {
  return { id: row.id, openid: row.openid, unionid: row.unionid, phone: row.phone, createdAt: row.created_at }
}

export interface SqliteStoreOptions {
  /** A file path or `:memory:`. */
  filename: string
  now?: Clock
}

/**
 * Embedded default store. better-sqlite3 is synchronous, so each method runs in one
 * transaction without interleaving inside this process; across processes sharing the file,
 * SQLite's own locking (WAL + busy timeout) keeps the guards atomic.
 */
export class SqliteStore implements AuthStore {
  private readonly db: Database.Database
  private readonly now: Clock
  // Compiling a statement costs more than running it: each SQL text is prepared once per store.
  private readonly statements = new Map<string, Database.Statement>()

  constructor({ filename, now = systemClock }: SqliteStoreOptions) {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true })
    this.db = new Database(filename)
    this.now = now
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('busy_timeout = 5000')
    this.db.exec(SQLITE_SCHEMA)
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text)
    if (!statement) {
      statement = this.db.prepare(text)
      this.statements.set(text, statement)
    }
    return statement
  }

  async upsertUser({ openid, unionid }: WechatIdentity): Promise<UserRecord> {
    return this.db
      .transaction((): UserRecord => {
        const byUnion = unionid ? (this.sql('SELECT * FROM users WHERE unionid = ?').get(unionid) as UserRow | undefined) : undefined
        if (byUnion) return toUser(byUnion)
        const byOpen = this.sql('SELECT * FROM users WHERE openid = ?').get(openid) as UserRow | undefined
        if (byOpen) {
          // The user first came without a unionid (not yet bound to the open platform): attach it now.
          if (unionid && !byOpen.unionid) {
            this.sql('UPDATE users SET unionid = ? WHERE id = ?').run(unionid, byOpen.id)
            return toUser({ ...byOpen, unionid })
          }
          return toUser(byOpen)
        }
        const row: UserRow = { id: randomUUID(), openid, unionid: unionid ?? null, phone: null, created_at: this.now() }
        this.sql('INSERT INTO users (id, openid, unionid, phone, created_at) VALUES (@id, @openid, @unionid, @phone, @created_at)').run(row)
        return toUser(row)
      })
      .immediate()
  }

  async getUserById(id: string): Promise<UserRecord | null> {
    const row = this.sql('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined
    return row ? toUser(row) : null
  }

  async setUserPhone(id: string, phone: string): Promise<UserRecord | null> {
    this.sql('UPDATE users SET phone = ? WHERE id = ?').run(phone, id)
    return this.getUserById(id)
  }

  async saveSessionKey(openid: string, sessionKey: string): Promise<void> {
    this.sql(
      `INSERT INTO session_keys (openid, session_key, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (openid) DO UPDATE SET session_key = excluded.session_key, updated_at = excluded.updated_at`,
    ).run(openid, sessionKey, this.now())
  }

  async getSessionKey(openid: string): Promise<string | null> {
    const row = this.sql('SELECT session_key FROM session_keys WHERE openid = ?').get(openid) as { session_key: string } | undefined
    return row?.session_key ?? null
  }

  async claimCode(code: string, ttlMs: number): Promise<boolean> {
    const now = this.now()
    return this.db
      .transaction((): boolean => {
        this.sql('DELETE FROM used_codes WHERE expires_at <= ?').run(now)
        const result = this.sql('INSERT OR IGNORE INTO used_codes (code_hash, expires_at) VALUES (?, ?)').run(sha256Hex(code), now + ttlMs)
        return result.changes === 1
      })
      .immediate()
  }

  async saveRefreshToken(record: RefreshTokenRecord): Promise<void> {
    this.sql('INSERT INTO refresh_tokens (hash, user_id, family_id, expires_at) VALUES (?, ?, ?, ?)').run(
      record.hash,
      record.userId,
      record.familyId,
      record.expiresAt,
    )
  }

  async consumeRefreshToken(hash: string): Promise<RefreshConsumeResult> {
    const now = this.now()
    return this.db
      .transaction((): RefreshConsumeResult => {
        const row = this.sql('SELECT user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE hash = ?').get(hash) as
          | RefreshRow
          | undefined
        if (!row || row.revoked_at !== null || row.expires_at <= now) return { status: 'invalid' }
        if (row.used_at !== null) {
          this.markFamilyRevoked(row.family_id, now)
          return { status: 'reused', userId: row.user_id, familyId: row.family_id }
        }
        this.sql('UPDATE refresh_tokens SET used_at = ? WHERE hash = ?').run(now, hash)
        return { status: 'ok', userId: row.user_id, familyId: row.family_id }
      })
      .immediate()
  }

  async revokeRefreshFamilyOf(hash: string): Promise<void> {
    const row = this.sql('SELECT family_id FROM refresh_tokens WHERE hash = ?').get(hash) as { family_id: string } | undefined
    if (row) this.markFamilyRevoked(row.family_id, this.now())
  }

  async revokeFamily(familyId: string): Promise<void> {
    this.markFamilyRevoked(familyId, this.now())
  }

  async revokeAllFamiliesOfUser(userId: string): Promise<void> {
    this.sql('UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(this.now(), userId)
  }

  private markFamilyRevoked(familyId: string, now: number): void {
    this.sql('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL').run(now, familyId)
  }

  async getAccessToken(): Promise<CachedAccessToken | null> {
    const row = this.sql('SELECT value FROM kv WHERE key = ?').get(ACCESS_TOKEN_KEY) as { value: string } | undefined
    return row ? (JSON.parse(row.value) as CachedAccessToken) : null
  }

  async setAccessToken(value: CachedAccessToken): Promise<void> {
    this.sql('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
      ACCESS_TOKEN_KEY,
      JSON.stringify(value),
    )
  }

  async acquireLock(name: string, ttlMs: number): Promise<string | null> {
    const now = this.now()
    const owner = randomUUID()
    return this.db
      .transaction((): string | null => {
        this.sql('DELETE FROM locks WHERE name = ? AND expires_at <= ?').run(name, now)
        const result = this.sql('INSERT OR IGNORE INTO locks (name, owner, expires_at) VALUES (?, ?, ?)').run(name, owner, now + ttlMs)
        return result.changes === 1 ? owner : null
      })
      .immediate()
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    this.sql('DELETE FROM locks WHERE name = ? AND owner = ?').run(name, owner)
  }

  async ping(): Promise<void> {
    // Throws once the database is closed; on a file it also proves the file is still readable.
    this.sql('SELECT 1').get()
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }
}
