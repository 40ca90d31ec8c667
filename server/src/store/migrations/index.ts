import type { Migration, MigrationProvider } from 'kysely'
import { initial } from './001-initial.js'
import { refreshSuccessor } from './002-refresh-successor.js'
import { identities, type MigrationContext } from './003-identities.js'

export type { MigrationContext } from './003-identities.js'

/**
 * Every migration, keyed by a name that sorts in the order they must run. Listed here rather than
 * read from the file system, so they work the same from TypeScript sources and a bundled build.
 */
export function migrationsFor(context: MigrationContext): Record<string, Migration> {
  return {
    '001-initial': initial,
    '002-refresh-successor': refreshSuccessor,
    '003-identities': identities(context),
  }
}

/** The names of every migration, in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrationsFor({}))

export function migrationProvider(context: MigrationContext): MigrationProvider {
  return { getMigrations: async () => migrationsFor(context) }
}
