import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { type CompiledQuery, Kysely, type SqliteDatabase, SqliteDialect } from 'kysely'
import { ConfigError } from '../base/errors.js'
import { migrateToLatest } from './migrate.js'
import type { MigrationContext } from './migrations/index.js'
import type { Database } from './schema.js'

// Far more than the store's distinct statements; a bound only in case a future query builds SQL
// text from data (e.g. an IN list), which would otherwise grow the cache without end.
const MAX_CACHED_STATEMENTS = 256

/**
 * Kysely's SQLite driver prepares every statement anew, and compiling SQL costs more than running
 * it on this store's small indexed queries: one prepared statement per SQL text is reused instead.
 * Safe because better-sqlite3 runs a statement to completion synchronously (Kysely streams nothing here).
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase & { prepare(sql: string): BetterSqlite3.Statement } {
  const statements = new Map<string, BetterSqlite3.Statement>()
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = statements.get(sql)
      if (!statement) {
        if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear()
        statement = database.prepare(sql)
        statements.set(sql, statement)
      }
      return statement
    },
  }
}

/**
 * Runs several statements as one SQLite transaction without ever yielding to the event loop.
 * A transaction that awaited between statements would hold SQLite's write lock while another
 * connection of the same process (another store on the file) blocks the thread waiting for it:
 * a deadlock until the busy timeout. Synchronous, `BEGIN IMMEDIATE`, it cannot interleave, and
 * other processes simply wait their turn.
 */
export interface SqliteTransactions {
  /** Runs `work` in one `BEGIN IMMEDIATE … COMMIT` (rolled back if it throws); `run` executes one compiled statement. */
  transaction<T>(work: (run: (query: CompiledQuery) => unknown[]) => T): T
}

const transactionsByDb = new WeakMap<Kysely<Database>, SqliteTransactions>()

/** The synchronous transactions of a database opened by `openSqlite` (not of one derived with `withPlugin`). */
export function sqliteTransactionsOf(db: Kysely<Database>): SqliteTransactions | undefined {
  return transactionsByDb.get(db)
}

function sqliteTransactions(
  database: BetterSqlite3.Database,
  cached: { prepare(sql: string): BetterSqlite3.Statement },
): SqliteTransactions {
  const run = (query: CompiledQuery): unknown[] => {
    const statement = cached.prepare(query.sql)
    const parameters = query.parameters as unknown[]
    if (statement.reader) return statement.all(parameters)
    statement.run(parameters)
    return []
  }
  return { transaction: (work) => database.transaction(() => work(run)).immediate() }
}

/** Tables of a release that predates versioned migrations would make `001-initial` fail half-way, cryptically. */
function refuseUnversionedSchema(database: BetterSqlite3.Database, filename: string): void {
  const tables = new Set(
    (database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name),
  )
  if (tables.has('users') && !tables.has('kysely_migration')) {
    throw new ConfigError(
      `${filename} was created by an early uni-mp-auth build without versioned migrations. ` +
        'It held development data only: move it away and start again.',
    )
  }
}

/**
 * Opens (creating if needed) a SQLite database and migrates it. WAL lets readers run beside the
 * writer; the busy timeout makes a second process sharing the file wait for the write lock
 * instead of failing. Migrations run inside one `BEGIN IMMEDIATE` transaction: processes starting
 * together on one file take turns, and a failed migration leaves nothing half-applied.
 */
export async function openSqlite(filename: string, context: MigrationContext = {}): Promise<Kysely<Database>> {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true })
  const database = new BetterSqlite3(filename)
  try {
    database.pragma('busy_timeout = 5000')
    await whileBusy(() => database.pragma('journal_mode = WAL'))
    // In WAL mode, NORMAL keeps every commit across a crash or kill of the process and across
    // restarts, and the file consistent on power loss; only a power cut or OS crash may roll back
    // the last commits. FULL would add one fsync (~0.5 ms here) to each of the login's three commits.
    database.pragma('synchronous = NORMAL')
    database.pragma('foreign_keys = ON')
    const cached = withStatementCache(database)
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) })
    transactionsByDb.set(db, sqliteTransactions(database, cached))
    database.exec('BEGIN IMMEDIATE')
    try {
      refuseUnversionedSchema(database, filename)
      await migrateToLatest(db, context)
      database.exec('COMMIT')
    } finally {
      if (database.inTransaction) database.exec('ROLLBACK')
    }
    return db
  } catch (error) {
    database.close()
    throw error
  }
}

/**
 * Switching a new file to WAL needs it to itself for a moment, and SQLite answers SQLITE_BUSY at once
 * (without its busy handler) while another process does the same: retry for up to the busy timeout.
 */
async function whileBusy(action: () => unknown, timeoutMs = 5000): Promise<void> {
  for (let waited = 0; ; waited += 25) {
    try {
      action()
      return
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || waited >= timeoutMs) throw error
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
}
