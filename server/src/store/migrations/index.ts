import type { Migration, MigrationProvider } from 'kysely'
import { initial } from './001-initial.js'
import { refreshSuccessor } from './002-refresh-successor.js'

/**
 * Every migration, keyed by a name that sorts in the order they must run. Listed here rather than
 * read from the file system, so they work the same from TypeScript sources and a bundled build.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-refresh-successor': refreshSuccessor,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
}
