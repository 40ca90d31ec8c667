import { type Kysely, Migrator } from 'kysely'
import { migrationProvider } from './migrations/index.js'
import type { Database } from './schema.js'

/**
 * Brings the schema to the latest version at start-up. On PostgreSQL, Kysely holds an advisory
 * lock around its migration transaction, so of several instances starting at once one migrates
 * and the others wait, then find nothing to do. SQLite callers serialize processes themselves
 * (see `sqlite-database.ts`).
 * @param schema PostgreSQL schema holding the migration history; the connection's default otherwise.
 */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: schema })
  const { error, results = [] } = await migrator.migrateToLatest()
  if (error === undefined) return
  const failed = results.find((result) => result.status === 'Error')?.migrationName
  throw new Error(failed ? `Database migration ${failed} failed` : 'Database migration failed', { cause: error })
}
