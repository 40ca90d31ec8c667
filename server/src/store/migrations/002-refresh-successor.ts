import type { Kysely, Migration } from 'kysely'

/**
 * `refresh_tokens.successor_hash`: the token a rotation issued for this one (sha256, as `hash`).
 * A client whose refresh answer was lost retries with the spent token; within the grace window
 * the store finds that successor through this column, sees it was never used, and replaces it
 * (see `SqlStore.rotateRefreshToken`). `NULL` for tokens that were never rotated, or spent by a
 * replacement rather than a rotation.
 */
export const refreshSuccessor: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('refresh_tokens').addColumn('successor_hash', 'text').execute()
  },
}
