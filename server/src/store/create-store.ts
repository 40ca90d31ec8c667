import type { Clock } from '../base/clock.js'
import { SERVER_DEFAULTS } from '../base/defaults.js'
import { ConfigError } from '../base/errors.js'
import { openPostgres } from './postgres-database.js'
import { SqlStore } from './sql-store.js'
import { openSqlite } from './sqlite-database.js'
import type { AuthStore } from './types.js'

export type StoreLocation = { engine: 'sqlite'; filename: string } | { engine: 'postgres'; connectionString: string }

/** `sqlite:<path>`, `sqlite::memory:`, `postgres://…` or `postgresql://…`; anything else is a ConfigError. */
export function parseStoreUrl(url: string): StoreLocation {
  if (url.startsWith('sqlite:')) return { engine: 'sqlite', filename: url.slice('sqlite:'.length) || ':memory:' }
  if (/^postgres(ql)?:\/\//.test(url)) return { engine: 'postgres', connectionString: url }
  if (/^rediss?:\/\//.test(url)) {
    throw new ConfigError(
      'STORE_URL=redis://… is no longer supported: users, phone bindings and refresh families must survive a restart, ' +
        'which Redis without AOF does not promise. Use STORE_URL=postgres://… for several instances (sqlite:<path> on one ' +
        'machine), and REDIS_URL=redis://… for the optional WeChat access_token cache.',
    )
  }
  // Only the scheme is echoed: the rest of a URL may hold a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? url.slice(0, 12)
  throw new ConfigError(`STORE_URL must start with "sqlite:", "postgres://" or "postgresql://", got "${scheme}…"`)
}

export interface CreateStoreOptions {
  now?: Clock
  /**
   * How long an instance may answer a user lookup from memory; a change made through another
   * instance shows after at most this. 0 = always ask the database. @default 1000
   */
  userCacheTtlMs?: number
  /** PostgreSQL only: schema for the tables (tests give each store its own). */
  schema?: string
  /** PostgreSQL only: pool connections per instance. @default 10 */
  poolSize?: number
  /** PostgreSQL only: an idle pooled connection broke and will be replaced (log it). */
  onConnectionError?: (error: Error) => void
  /**
   * The mini-program AppID (`WX_APPID`) a database written by 0.2 served: its users become identities
   * of that app. Required once, when such a database with users is first opened; ignored otherwise.
   */
  legacyWxAppId?: string
}

/**
 * Opens the durable store named by `STORE_URL` (`sqlite:<path>`, `sqlite::memory:`,
 * `postgres://…`) and migrates it to the latest schema; rejects when the database cannot be reached.
 *
 * @example
 * const store = await createStore(process.env.STORE_URL ?? 'sqlite:./data/auth.db')
 */
export async function createStore(url: string, options: CreateStoreOptions = {}): Promise<AuthStore> {
  const location = parseStoreUrl(url)
  const userCacheTtlMs = options.userCacheTtlMs ?? SERVER_DEFAULTS.userCacheTtlMs
  if (location.engine === 'sqlite') {
    return new SqlStore({
      db: await openSqlite(location.filename, { legacyWxAppId: options.legacyWxAppId }),
      engine: 'sqlite',
      label: 'SQLite',
      now: options.now,
      userCacheTtlMs,
    })
  }
  const db = await openPostgres({
    connectionString: location.connectionString,
    schema: options.schema,
    poolSize: options.poolSize,
    onConnectionError: options.onConnectionError,
    legacyWxAppId: options.legacyWxAppId,
  })
  return new SqlStore({ db, engine: 'postgres', label: 'PostgreSQL', now: options.now, userCacheTtlMs })
}
