import { randomUUID } from 'node:crypto'
import { type CompiledQuery, type Kysely, type RawBuilder, type Selectable, sql, type Transaction } from 'kysely'
import type pg from 'pg'
import { type Clock, systemClock } from '../base/clock.js'
import type { ExchangedIdentity, IdentityProviderName, LoginPlatform } from '../providers/types.js'
import { sha256Hex } from './hash.js'
import { type IdentityRow, linkSteps, loginSteps, RETRY, type Steps, type UserRow, unlinkSteps } from './identity-steps.js'
import { postgresPoolOf } from './postgres-database.js'
import type { Database, UsersTable } from './schema.js'
import { type SqliteTransactions, sqliteTransactionsOf } from './sqlite-database.js'
import { guardStore } from './store-errors.js'
import { Turns } from './turns.js'
import type {
  AuthStore,
  CachedAccessToken,
  IdentityKey,
  IdentityRecord,
  NewLogin,
  RefreshRotateResult,
  RefreshSuccessor,
  RefreshTokenRecord,
  RotateRefreshOptions,
  UserRecord,
} from './types.js'
import { UserCache } from './user-cache.js'

/**
 * One access_token per mini-program AppID. Releases before 0.3 kept their one token under the bare
 * `wx_access_token`; that row is left alone (a cache: losing it costs one token request).
 */
const accessTokenKey = (appId: string) => `wx_access_token:${appId}`

// better-sqlite3 waits for a SQLite write lock by blocking the thread (the busy timeout). Two
// connections to one file in one process would deadlock until that timeout: one holds the lock
// across the awaits of its transaction while the other blocks the thread it needs to finish. So
// within a process, SQLite transactions take turns; between processes the busy timeout works.
const sqliteTransactions = new Turns()

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
  /** SQLite only: how to run a transaction synchronously; found for a database opened by `openSqlite`. */
  sqlite?: SqliteTransactions | undefined
  /**
   * PostgreSQL only: the pool under `db`, for the login's named prepared statements; found for a
   * database opened by `openPostgres`. Without it those statements go through `db` unprepared.
   */
  postgresPool?: pg.Pool | undefined
}

/**
 * Names of the statements every login runs on PostgreSQL, prepared once per pooled connection (see
 * `SqlStore.hot`): a name stands for one statement text, so each builds the same text every time.
 */
const HOT = {
  claimCode: 'uma_claim_code',
  loginKnownIdentity: 'uma_login_known_identity',
  loginKnownIdentityWithUnionid: 'uma_login_known_identity_unionid',
} as const

function toUser(row: Selectable<UsersTable>): UserRecord {
  return { id: row.id, phone: row.phone, createdAt: row.created_at }
}

function toIdentity(row: IdentityRow): IdentityRecord {
  return {
    provider: row.provider as IdentityProviderName,
    appId: row.app_id,
    subject: row.subject,
    platform: row.platform as LoginPlatform,
    unionid: row.unionid,
    createdAt: row.created_at,
  }
}

/** Thrown inside a transaction to roll it back when its steps lost a race. */
const LOST_RACE = new Error('lost a race; retrying')

function driveSync<T>(steps: Steps<T | typeof RETRY>, run: (query: CompiledQuery) => unknown[]): T {
  let next = steps.next()
  while (!next.done) next = steps.next(run(next.value))
  if (next.value === RETRY) throw LOST_RACE
  return next.value
}

async function driveAsync<T>(steps: Steps<T | typeof RETRY>, run: (query: CompiledQuery) => Promise<unknown[]>): Promise<T> {
  let next = steps.next()
  while (!next.done) next = steps.next(await run(next.value))
  if (next.value === RETRY) throw LOST_RACE
  return next.value
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
  private readonly sqlite: SqliteTransactions | null
  private readonly postgresPool: pg.Pool | null
  private nextPurgeAt = Number.NEGATIVE_INFINITY

  constructor({
    db,
    engine,
    label = 'The database',
    now = systemClock,
    purgeIntervalMs = 60_000,
    userCacheTtlMs,
    sqlite,
    postgresPool,
  }: SqlStoreOptions) {
    this.db = db
    this.engine = engine
    this.label = label
    this.now = now
    this.purgeIntervalMs = purgeIntervalMs
    this.users = userCacheTtlMs > 0 ? new UserCache({ ttlMs: userCacheTtlMs, now }) : null
    this.sqlite = engine === 'sqlite' ? (sqlite ?? sqliteTransactionsOf(db) ?? null) : null
    this.postgresPool = engine === 'postgres' ? (postgresPool ?? postgresPoolOf(db) ?? null) : null
    if (engine === 'sqlite' && !this.sqlite) {
      throw new Error('SqlStore on SQLite needs a database opened by openSqlite(), or its transactions as the `sqlite` option')
    }
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

  private transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const run = () => this.db.transaction().execute(work)
    return this.engine === 'sqlite' ? sqliteTransactions.run(run) : run()
  }

  loginWithIdentity(identity: ExchangedIdentity, login: NewLogin): Promise<UserRecord> {
    return this.guard(async () => {
      const now = this.now()
      const row =
        (this.engine === 'postgres' && (await this.loginKnownIdentity(identity, login, now))) ||
        (await this.inTransaction('loginWithIdentity', () => loginSteps(this.context(now), identity, login)))
      return this.seen(row)
    })
  }

  /**
   * PostgreSQL, an identity seen before (nearly every login): the whole login is one statement,
   * so one round trip and one commit, which does not wait for the disk unless it anchors a unionid
   * (see docs/ARCHITECTURE.md, "What a PostgreSQL commit waits for"). `undefined` for a new
   * identity, which takes the transaction: a user is only ever created by a durable commit.
   */
  private async loginKnownIdentity(identity: ExchangedIdentity, login: NewLogin, now: number): Promise<UserRow | undefined> {
    const { provider, appId, subject, unionid, sessionKey = null } = identity
    // Every insert selects from `ident`: when the identity is unknown, the statement changes nothing.
    const ident = sql`ident as (
        update identities set session_key = coalesce(${sessionKey}, session_key)${unionid ? sql`, unionid = ${unionid}` : sql``}
        where provider = ${provider} and app_id = ${appId} and subject = ${subject}
        returning user_id
      )`
    const family = sql`family as (
        insert into refresh_families (id, user_id, created_at) select ${login.familyId}, user_id, ${now}::bigint from ident
        returning id, user_id
      ), token as (
        insert into refresh_tokens (hash, family_id, user_id, expires_at)
        select ${login.refreshTokenHash}, id, user_id, ${login.refreshExpiresAt}::bigint from family
      )`
    const rows = unionid
      ? // The first user seen with a unionid keeps it: a commit that anchors it waits for the disk.
        await this.hot(
          HOT.loginKnownIdentityWithUnionid,
          sql<UserRow>`with ${ident}, anchor as (
              insert into identity_unions (provider, unionid, user_id) select ${provider}, ${unionid}, user_id from ident
              on conflict do nothing returning user_id
            ), ${family}
            select users.id, users.phone, users.created_at, set_config('synchronous_commit', case when exists (select 1 from anchor) then 'on' else 'off' end, true) as commit_mode
            from users join ident on users.id = ident.user_id`,
        )
      : await this.hot(
          HOT.loginKnownIdentity,
          sql<UserRow>`with ${ident}, ${family}
            select users.id, users.phone, users.created_at, set_config('synchronous_commit', 'off', true) as commit_mode
            from users join ident on users.id = ident.user_id`,
        )
    return rows[0]
  }

  /**
   * Runs one of the login's statements: on the pool as a named prepared statement when the pool is
   * known (PostgreSQL then parses and plans it once per connection, not on every login), else through Kysely.
   * They name their result columns (no `users.*`): a prepared statement whose result type changes
   * fails ("cached plan must not change result type"), so a column a newer release adds while this
   * one still runs must not reach them.
   */
  private async hot<R>(name: string, query: RawBuilder<R>): Promise<R[]> {
    const pool = this.postgresPool
    if (!pool) return (await query.execute(this.db)).rows
    const compiled = query.compile(this.db)
    return (await pool.query({ name, text: compiled.sql, values: compiled.parameters as unknown[] })).rows as R[]
  }

  linkIdentity(userId: string, identity: ExchangedIdentity): Promise<IdentityRecord> {
    return this.guard(async () =>
      toIdentity(await this.inTransaction('linkIdentity', () => linkSteps(this.context(this.now()), userId, identity))),
    )
  }

  unlinkIdentity(userId: string, provider: IdentityProviderName, appId: string): Promise<boolean> {
    return this.guard(() => this.inTransaction('unlinkIdentity', () => unlinkSteps(this.context(this.now()), userId, provider, appId)))
  }

  listIdentities(userId: string): Promise<IdentityRecord[]> {
    return this.guard(async () => {
      const rows = await this.db
        .selectFrom('identities')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('provider')
        .orderBy('app_id')
        .execute()
      return rows.map(toIdentity)
    })
  }

  getSessionKey({ provider, appId, subject }: IdentityKey): Promise<string | null> {
    return this.guard(async () => {
      const row = await this.db
        .selectFrom('identities')
        .select('session_key')
        .where('provider', '=', provider)
        .where('app_id', '=', appId)
        .where('subject', '=', subject)
        .executeTakeFirst()
      return row?.session_key ?? null
    })
  }

  private context(now: number) {
    return { db: this.db, engine: this.engine, now }
  }

  /**
   * Runs steps in one transaction: synchronously on SQLite (see `SqliteTransactions`), statement by
   * statement on PostgreSQL. Steps that lost a race (`RETRY`) are rolled back and run again.
   */
  private async inTransaction<T>(what: string, steps: () => Steps<T | typeof RETRY>): Promise<T> {
    for (let pass = 0; pass < 3; pass++) {
      try {
        const { sqlite } = this
        return sqlite
          ? // Synchronous, but after any other SQLite transaction of this process has finished (see `sqliteTransactions`).
            await sqliteTransactions.run(async () => sqlite.transaction((run) => driveSync(steps(), run)))
          : await this.db.transaction().execute((trx) => driveAsync(steps(), async (query) => (await trx.executeQuery(query)).rows))
      } catch (error) {
        if (error !== LOST_RACE) throw error
      }
    }
    throw new Error(`${what}: concurrent writers changed the identities under three consecutive passes`)
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

  claimCode(code: string, ttlMs: number): Promise<boolean> {
    return this.guard(async () => {
      const now = this.now()
      await this.purgeExpiredWhenDue(now)
      const hash = sha256Hex(code)
      if (this.engine === 'postgres') {
        // The claim only spares the vendor a replayed code: the vendor refuses a used code itself
        // (WeChat 40163). So this commit does not wait for the disk (`synchronous_commit` off for
        // this statement only): it is visible to every instance at once, and a PostgreSQL crash in
        // the next fraction of a second could only let a replay reach the vendor, which refuses it.
        // Inserted, or taking over an expired claim: one winner.
        const rows = await this.hot(
          HOT.claimCode,
          sql`insert into code_claims (code_hash, expires_at)
            select ${hash}, ${now + ttlMs}::bigint from (select set_config('synchronous_commit', 'off', true)) as async_commit
            on conflict (code_hash) do update set expires_at = excluded.expires_at where code_claims.expires_at <= ${now}
            returning code_hash`,
        )
        return rows.length > 0
      }
      const claimed = await this.db
        .insertInto('code_claims')
        .values({ code_hash: hash, expires_at: now + ttlMs })
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
    const token = {
      hash: record.hash,
      family_id: record.familyId,
      user_id: record.userId,
      expires_at: record.expiresAt,
      used_at: null,
      successor_hash: null,
    }
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
      await this.transaction(async (trx) => {
        await trx
          .insertInto('refresh_families')
          .values(family)
          .onConflict((conflict) => conflict.column('id').doNothing())
          .execute()
        await trx.insertInto('refresh_tokens').values(token).execute()
      })
    })
  }

  rotateRefreshToken(hash: string, successor: RefreshSuccessor, { graceMs }: RotateRefreshOptions): Promise<RefreshRotateResult> {
    return this.guard(async () => {
      const now = this.now()
      // One transaction spends the token and saves its successor: a failure anywhere (the database
      // going away included) rolls both back, so a 503 leaves the token unspent and the client's
      // retry simply works.
      return this.transaction((trx) => this.rotateIn(trx, hash, successor, graceMs, now))
    })
  }

  private async rotateIn(
    trx: Transaction<Database>,
    hash: string,
    successor: RefreshSuccessor,
    graceMs: number,
    now: number,
  ): Promise<RefreshRotateResult> {
    // One statement decides: unused, unexpired and its family not revoked. Of concurrent callers
    // (on any instance) exactly one sees `used_at IS NULL`; PostgreSQL re-checks it after the row
    // lock, SQLite runs one writer at a time. Being a write, it also takes SQLite's write lock
    // first thing, so the transaction never has to upgrade a read lock.
    const spent = await trx
      .updateTable('refresh_tokens')
      .set({ used_at: now, successor_hash: successor.hash })
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
    if (spent) return this.saveSuccessor(trx, spent.user_id, spent.family_id, successor, false)

    // Not spent now: find out why, to tell a retry or a replay (theft) from a merely dead token.
    // On PostgreSQL the token's row is locked first: the UPDATE above may already hold it (a row
    // it waited for stays locked after its recheck failed), and a retry locks its successor only
    // after it, so every transaction takes the two rows in one order and none deadlock. Retries
    // racing each other thus take turns, each replacing the successor the one before saved.
    const token = await trx
      .selectFrom('refresh_tokens')
      .innerJoin('refresh_families', 'refresh_families.id', 'refresh_tokens.family_id')
      .select([
        'refresh_tokens.user_id',
        'refresh_tokens.family_id',
        'refresh_tokens.used_at',
        'refresh_tokens.expires_at',
        'refresh_tokens.successor_hash',
        'refresh_families.revoked_at',
      ])
      .where('refresh_tokens.hash', '=', hash)
      .$if(this.engine === 'postgres', (query) => query.forUpdate('refresh_tokens'))
      .executeTakeFirst()
    if (!token || token.revoked_at !== null || token.used_at === null) return { status: 'invalid' }
    if (token.successor_hash !== null && token.expires_at > now && now - token.used_at < graceMs) {
      // A retry in time, if the successor it was given was never used: the client never got the
      // answer. That successor is spent without one of its own (a replay if it ever shows up),
      // and the new one takes its place: still one live token per login.
      const replaced = await trx
        .updateTable('refresh_tokens')
        .set({ used_at: now })
        .where('hash', '=', token.successor_hash)
        .where('used_at', 'is', null)
        .returning('hash')
        .executeTakeFirst()
      if (replaced) {
        await trx.updateTable('refresh_tokens').set({ successor_hash: successor.hash }).where('hash', '=', hash).execute()
        return this.saveSuccessor(trx, token.user_id, token.family_id, successor, true)
      }
    }
    await this.revokeFamilyAt(token.family_id, now, trx)
    return { status: 'reused', userId: token.user_id, familyId: token.family_id }
  }

  /** Saves the successor and reads the user inside the rotation's transaction: nothing is left to fail after the commit. */
  private async saveSuccessor(
    trx: Transaction<Database>,
    userId: string,
    familyId: string,
    successor: RefreshSuccessor,
    retried: boolean,
  ): Promise<RefreshRotateResult> {
    const user = await trx.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst()
    await trx
      .insertInto('refresh_tokens')
      .values({
        hash: successor.hash,
        family_id: familyId,
        user_id: userId,
        expires_at: successor.expiresAt,
        used_at: null,
        successor_hash: null,
      })
      .execute()
    return { status: 'ok', userId, user: user ? this.seen(user) : null, familyId, retried }
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

  private async revokeFamilyAt(familyId: string, now: number, db: Kysely<Database> = this.db): Promise<void> {
    await db.updateTable('refresh_families').set({ revoked_at: now }).where('id', '=', familyId).where('revoked_at', 'is', null).execute()
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

  getAccessToken(appId: string): Promise<CachedAccessToken | null> {
    return this.guard(async () => {
      const row = await this.db.selectFrom('cache_entries').select('value').where('key', '=', accessTokenKey(appId)).executeTakeFirst()
      return row ? (JSON.parse(row.value) as CachedAccessToken) : null
    })
  }

  setAccessToken(appId: string, value: CachedAccessToken): Promise<void> {
    return this.guard(async () => {
      const json = JSON.stringify(value)
      await this.db
        .insertInto('cache_entries')
        .values({ key: accessTokenKey(appId), value: json })
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
