import type { Kysely, Migration } from 'kysely'

/**
 * The first schema. Migrations are frozen once released: later changes come as new files, never
 * as edits here. Column types are the ones both engines understand (`text`, `bigint`).
 */
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('openid', 'text', (col) => col.notNull().unique())
      .addColumn('unionid', 'text', (col) => col.unique())
      .addColumn('phone', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .execute()

    await db.schema
      .createTable('session_keys')
      .addColumn('openid', 'text', (col) => col.primaryKey())
      .addColumn('session_key', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'bigint', (col) => col.notNull())
      .execute()

    await db.schema
      .createTable('code_claims')
      .addColumn('code_hash', 'text', (col) => col.primaryKey())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .execute()
    await db.schema.createIndex('code_claims_expires_at').on('code_claims').column('expires_at').execute()

    await db.schema
      .createTable('refresh_families')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute()
    await db.schema.createIndex('refresh_families_user_id').on('refresh_families').column('user_id').execute()

    await db.schema
      .createTable('refresh_tokens')
      .addColumn('hash', 'text', (col) => col.primaryKey())
      .addColumn('family_id', 'text', (col) => col.notNull().references('refresh_families.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .addColumn('used_at', 'bigint')
      .execute()
    await db.schema.createIndex('refresh_tokens_family_id').on('refresh_tokens').column('family_id').execute()
    await db.schema.createIndex('refresh_tokens_expires_at').on('refresh_tokens').column('expires_at').execute()

    await db.schema
      .createTable('cache_entries')
      .addColumn('key', 'text', (col) => col.primaryKey())
      .addColumn('value', 'text', (col) => col.notNull())
      .execute()

    await db.schema
      .createTable('locks')
      .addColumn('name', 'text', (col) => col.primaryKey())
      .addColumn('owner', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .execute()
  },
}
