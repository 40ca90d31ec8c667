import { randomUUID } from 'node:crypto'
import { type Kysely, type Selectable, sql } from 'kysely'
import { type Clock, systemClock } from '../base/clock.js'
import { sha256Hex } from './hash.js'
import type { Database, UsersTable } from './schema.js'
import { guardStore, isUniqueViolation } from './store-errors.js'
import type { AuthStore, CachedAccessToken, RefreshConsumeResult, RefreshTokenRecord, UserRecord, WechatIdentity } from './types.js'
import { UserCache } from './user-cache.js'

const ACCESS_TOKEN_KEY = 'wx_access_token'

export interface SqlStoreOptions {
  db: Kysely<Database>
  /** Where the few engine-specific statements differ. */
  engine: 'sqlite' | 'postgres'
  /** Names the database in errors, e.g. `PostgreSQL`. @default 'The database' */
  label?: string
  now?: Clock
  /** How often one instance deletes expired code claims and refresh tokens. @default 60000 */
  purgeIntervalMs?: number
  /**
   * How long `getUserById` may answer from this instance's memory (see `UserCache`); 0 reads the
   * database every time. `createStore()` holds the default.
   */
  userCacheTtlMs: number
}

function toUser(row: Selectable<UsersTable>): UserRecord {
  return { id: row.id, openid: row.openid, unionid: row.unionid, phone: row.phone, createdAt: row.created_at }
}

/**
 * The store on SQLite or PostgreSQL through one Kysely query layer. Every guard is a single
 * statement the database decides atomically (a conditional UPDATE … RETURNING, an INSERT … ON
 * CONFLICT), so it holds between processes and instances without application locks.
 */
export class SqlStore implements AuthStore {
  private readonly db: Kysely<Database>
  private readonly engine: 'sqlite' | 'postgres'
  private readonly label: string
  private readonly now: Clock
  private readonly purgeIntervalMs: number
  private readonly users: UserCache | null
  private nextPurgeAt = Number.NEGATIVE_INFINITY

  constructor({ db, engine, label = 'The database', now = systemClock, purgeIntervalMs = 60_000, userCacheTtlMs }: SqlStoreOptions) {
    this.db = db
    this.engine = engine
    this.label = label
    this.now = now
    this.purgeIntervalMs = purgeIntervalMs
    this.users = userCacheTtlMs > 0 ? new UserCache({ ttlMs: userCacheTtlMs, now }) : null
  }

  /** Every user read from or written to the database passes here, so the cache holds the latest this instance saw. */
  private seen(row: Selectable<UsersTable>): UserRecord {
    const user = toUser(row)
    this.users?.set(user)
    return user
  }

  private guard<T>(work: () => Promise<T>): Promise<T> {
    return guardStore(this.label, work)
  }

  upsertUser(identity: WechatIdentity): Promise<UserRecord> {
    return this.guard(async () => {
      const user = await this.upsert(identity)
      this.users?.set(user)
      return user
    })
  }

  private async upsert({ openid, unionid }: WechatIdentity): Promise<UserRecord> {
    // The unique indexes on openid and unionid decide concurrent first logins on any instance:
    // one INSERT wins, the others insert nothing and read the winner on their next pass.
    for (let pass = 0; pass < 3; pass++) {
      const existing = await this.findUser(openid, unionid)
      if (existing) {
        if (!unionid || existing.unionid) return existing
        // First seen without a unionid (not yet bound to the open platform): attach it now.
        const attached = await this.attachUnionid(existing.id, unionid)
        if (attached) return attached
        continue
      }
      const inserted = await this.db
        .insertInto('users')
        .values({ id: randomUUID(), openid, unionid: unionid ?? null, phone: null, created_at: this.now() })
        .onConflict((conflict) => conflict.doNothing())
        .returningAll()
        .executeTakeFirst()
      if (inserted) return toUser(inserted)
    }
    throw new Error('upsertUser: the users table changed under three consecutive passes')
  }

  private async findUser(openid: string, unionid: string | undefined): Promise<UserRecord | null> {
    let query = this.db.selectFrom('users').selectAll()
    query = unionid
      ? query.where((eb) => eb.or([eb('unionid', '=', unionid), eb('openid', '=', openid)]))
      : query.where('openid', '=', openid)
    const rows = await query.execute()
    const row = rows.find((r) => unionid && r.unionid === unionid) ?? rows[0]
    return row ? toUser(row) : null
  }

  /** `null` when another writer set a unionid first (on this user or, for this unionid, on another). */
  private async attachUnionid(userId: string, unionid: string): Promise<UserRecord | null> {
    try {
      const row = await this.db
        .updateTable('users')
        .set({ unionid })
        .where('id', '=', userId)
        .where('unionid', 'is', null)
        .returningAll()
        .executeTakeFirst()
      return row ? toUser(row) : null
    } catch (error) {
      if (isUniqueViolation(error)) return null
      throw error
    }
  }

  getUserById(id: string): Promise<UserRecord | null> {
    const cached = this.users?.get(id)
    if (cached) return Promise.resolve(cached)
    return this.guard(async () => {
      const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
      return row ? this.seen(row) : null
    })
  }

  setUserPhone(id: string, phone: string): Promise<UserRecord | null> {
    return this.guard(async () => {
      const row = await this.db.updateTable('users').set({ phone }).where('id', '=', id).returningAll().executeTakeFirst()
      if (row) return this.seen(row)
      this.users?.delete(id)
      return null
    })
  }

  saveSessionKey(openid: string, sessionKey: string): Promise<void> {
    return this.guard(async () => {
      const updatedAt = this.now()
      await this.db
        .insertInto('session_keys')
        .values({ openid, session_key: sessionKey, updated_at: updatedAt })
        .onConflict((conflict) => conflict.column('openid').doUpdateSet({ session_key: sessionKey, updated_at: updatedAt }))
        .execute()
    })
  }

  getSessionKey(openid: string): Promise<string | null> {
    return this.guard(async () => {
      const row = await this.db.selectFrom('session_keys').select('session_key').where('openid', '=', openid).executeTakeFirst()
      return row?.session_key ?? null
    })
  }

  claimCode(code: string, ttlMs: number): Promise<boolean> {
    return this.guard(async () => {
      const now = this.now()
      await this.purgeExpiredWhenDue(now)
      // Inserted, or taking over a claim that expired: either way one statement, one winner.
      const claimed = await this.db
        .insertInto('code_claims')
        .values({ code_hash: sha256Hex(code), expires_at: now + ttlMs })
        .onConflict((conflict) =>
          conflict
            .column('code_hash')
            .doUpdateSet({ expires_at: now + ttlMs })
            .where('code_claims.expires_at', '<=', now),
        )
        .returning('code_hash')
        .executeTakeFirst()
      return claimed !== undefined
    })
  }

  /** Expired rows decide nothing any more; deleting them keeps the tables (and their indexes) small. */
  private async purgeExpiredWhenDue(now: number): Promise<void> {
    if (now < this.nextPurgeAt) return
    this.nextPurgeAt = now + this.purgeIntervalMs
    await this.db.deleteFrom('code_claims').where('expires_at', '<=', now).execute()
    // Families whose last token expired can never rotate again (their tokens go with them, ON
    // DELETE CASCADE). Found through expired tokens, so the work follows what expired, not the
    // table size, and a family being created (no token yet) is never caught.
    await this.db
      .deleteFrom('refresh_families')
      .where('id', 'in', (eb) => eb.selectFrom('refresh_tokens').select('family_id').where('expires_at', '<=', now))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('refresh_tokens')
              .select(sql<number>`1`.as('one'))
              .whereRef('refresh_tokens.family_id', '=', 'refresh_families.id')
              .where('refresh_tokens.expires_at', '>', now),
          ),
        ),
      )
      .execute()
    await this.db.deleteFrom('refresh_tokens').where('expires_at', '<=', now).execute()
  }

  saveRefreshToken(record: RefreshTokenRecord): Promise<void> {
    const family = { id: record.familyId, user_id: record.userId, created_at: this.now(), revoked_at: null }
    const token = { hash: record.hash, family_id: record.familyId, user_id: record.userId, expires_at: record.expiresAt, used_at: null }
    return this.guard(async () => {
      if (this.engine === 'postgres') {
        // One statement, so one round trip and one commit: a login pays for every one of them.
        await this.db
          .with('family', (db) =>
            db
              .insertInto('refresh_families')
              .values(family)
              .onConflict((conflict) => conflict.column('id').doNothing()),
          )
          .insertInto('refresh_tokens')
          .values(token)
          .execute()
        return
      }
      // SQLite has no data-modifying WITH; its transactions cost no round trips.
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('refresh_families')
          .values(family)
          .onConflict((conflict) => conflict.column('id').doNothing())
          .execute()
        await trx.insertInto('refresh_tokens').values(token).execute()
      })
    })
  }

  consumeRefreshToken(hash: string): Promise<RefreshConsumeResult> {
    return this.guard(async () => {
      const now = this.now()
      // One statement decides: unused, unexpired and its family not revoked. Of concurrent callers
      // (on any instance) exactly one sees `used_at IS NULL`; PostgreSQL re-checks it after the
      // row lock, SQLite runs one writer at a time.
      const rotated = await this.db
        .updateTable('refresh_tokens')
        .set({ used_at: now })
        .where('hash', '=', hash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('refresh_families')
              .select(sql<number>`1`.as('one'))
              .whereRef('refresh_families.id', '=', 'refresh_tokens.family_id')
              .where('refresh_families.revoked_at', 'is', null),
          ),
        )
        .returning(['user_id', 'family_id'])
        .executeTakeFirst()
      if (rotated) return { status: 'ok', userId: rotated.user_id, familyId: rotated.family_id }

      // Not rotated: find out why, to tell a replay (theft) from a merely dead token.
      const token = await this.db
        .selectFrom('refresh_tokens')
        .innerJoin('refresh_families', 'refresh_families.id', 'refresh_tokens.family_id')
        .select(['refresh_tokens.user_id', 'refresh_tokens.family_id', 'refresh_tokens.used_at', 'refresh_families.revoked_at'])
        .where('refresh_tokens.hash', '=', hash)
        .executeTakeFirst()
      if (!token || token.revoked_at !== null || token.used_at === null) return { status: 'invalid' }
      await this.revokeFamilyAt(token.family_id, now)
      return { status: 'reused', userId: token.user_id, familyId: token.family_id }
    })
  }

  revokeRefreshFamilyOf(hash: string): Promise<void> {
    return this.guard(async () => {
      await this.db
        .updateTable('refresh_families')
        .set({ revoked_at: this.now() })
        .where('revoked_at', 'is', null)
        .where('id', 'in', (eb) => eb.selectFrom('refresh_tokens').select('family_id').where('hash', '=', hash))
        .execute()
    })
  }

  revokeFamily(familyId: string): Promise<void> {
    return this.guard(() => this.revokeFamilyAt(familyId, this.now()))
  }

  private async revokeFamilyAt(familyId: string, now: number): Promise<void> {
    await this.db
      .updateTable('refresh_families')
      .set({ revoked_at: now })
      .where('id', '=', familyId)
      .where('revoked_at', 'is', null)
      .execute()
  }

  revokeAllFamiliesOfUser(userId: string): Promise<void> {
    return this.guard(async () => {
      await this.db
        .updateTable('refresh_families')
        .set({ revoked_at: this.now() })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute()
    })
  }

  getAccessToken(): Promise<CachedAccessToken | null> {
    return this.guard(async () => {
      const row = await this.db.selectFrom('cache_entries').select('value').where('key', '=', ACCESS_TOKEN_KEY).executeTakeFirst()
      return row ? (JSON.parse(row.value) as CachedAccessToken) : null
    })
  }

  setAccessToken(value: CachedAccessToken): Promise<void> {
    return this.guard(async () => {
      const json = JSON.stringify(value)
      await this.db
        .insertInto('cache_entries')
        .values({ key: ACCESS_TOKEN_KEY, value: json })
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: json }))
        .execute()
    })
  }

  acquireLock(name: string, ttlMs: number): Promise<string | null> {
    return this.guard(async () => {
      const now = this.now()
      const owner = randomUUID()
      // Taken when free or when the holder's lease ran out (it crashed): one statement, one winner.
      const taken = await this.db
        .insertInto('locks')
        .values({ name, owner, expires_at: now + ttlMs })
        .onConflict((conflict) =>
          conflict
            .column('name')
            .doUpdateSet({ owner, expires_at: now + ttlMs })
            .where('locks.expires_at', '<=', now),
        )
        .returning('owner')
        .executeTakeFirst()
      return taken ? owner : null
    })
  }

  releaseLock(name: string, owner: string): Promise<void> {
    return this.guard(async () => {
      await this.db.deleteFrom('locks').where('name', '=', name).where('owner', '=', owner).execute()
    })
  }

  ping(): Promise<void> {
    return this.guard(async () => {
      await sql`select 1`.execute(this.db)
    })
  }

  async close(): Promise<void> {
    await this.db.destroy()
  }
}
