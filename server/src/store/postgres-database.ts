import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { migrateToLatest } from './migrate.js'
import type { MigrationContext } from './migrations/index.js'
import { survivePostgresConnectionErrors } from './postgres-connection-errors.js'
import { missingCreatePrivilege } from './postgres-privileges.js'
import type { Database } from './schema.js'

export interface PostgresOptions extends MigrationContext {
  connectionString: string
  /**
   * Schema for the tables (created if missing), for several apps or test runs in one database.
   * Letters, digits and `_` only. @default the connection's default (normally `public`)
   */
  schema?: string
  /** Connections per instance. @default 10 */
  poolSize?: number
  /** A pooled connection broke (server restart, failover, network): the pool replaces it; this only reports it. */
  onConnectionError?: (error: Error) => void
}

const poolsByDb = new WeakMap<Kysely<Database>, pg.Pool>()

/**
 * The connection pool under a database opened by `openPostgres` (not one derived with `withPlugin`):
 * SqlStore runs the login's statements on it as named prepared statements (see `SqlStore.hot`).
 */
export function postgresPoolOf(db: Kysely<Database>): pg.Pool | undefined {
  return poolsByDb.get(db)
}

const INT8_OID = 20
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

/** Times are `bigint` milliseconds; pg returns int8 as strings by default, they fit a number exactly. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
}

/** Opens a connection pool and migrates the schema; rejects when PostgreSQL cannot be reached. */
export async function openPostgres({
  connectionString,
  schema,
  poolSize = 10,
  onConnectionError,
  legacyWxAppId,
}: PostgresOptions): Promise<Kysely<Database>> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}"`)
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    // Bounds both opening a connection (a refused one fails at once) and queueing for a free one
    // under load: past it the request fails with 503 instead of waiting for ever.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // A runaway statement cannot hold a pooled connection (and its caller) for ever.
    statement_timeout: 10_000,
    keepAlive: true,
    application_name: 'uni-mp-auth',
    types,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  })
  survivePostgresConnectionErrors(pool, onConnectionError)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  poolsByDb.set(db, pool)
  try {
    await migrateToLatest(db, { schema, legacyWxAppId })
  } catch (error) {
    const explained = await missingCreatePrivilege(db, error).catch(() => undefined)
    await db.destroy()
    throw explained ?? error
  }
  return db
}
