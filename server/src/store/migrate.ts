import { type Kysely, Migrator } from 'kysely'
import { ConfigError } from '../base/errors.js'
import { type MigrationContext, migrationProvider } from './migrations/index.js'
import type { Database } from './schema.js'

export interface MigrateOptions extends MigrationContext {
  /** PostgreSQL schema holding the migration history; the connection's default otherwise. */
  schema?: string | undefined
}

/**
 * Brings the schema to the latest version at start-up. On PostgreSQL, Kysely holds an advisory
 * lock around its migration transaction, so of several instances starting at once one migrates
 * and the others wait, then find nothing to do. SQLite callers serialize processes themselves
 * (see `sqlite-database.ts`).
 */
export async function migrateToLatest(db: Kysely<Database>, { schema, ...context }: MigrateOptions = {}): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(context), migrationTableSchema: schema })
  const { error, results = [] } = await migrator.migrateToLatest()
  if (error === undefined) return
  // A migration that needs a setting says which; that message is the one to show.
  if (error instanceof ConfigError) throw error
  const failed = results.find((result) => result.status === 'Error')?.migrationName
  throw new Error(failed ? `Database migration ${failed} failed` : 'Database migration failed', { cause: error })
}
