import { type Kysely, type Migration, sql } from 'kysely'
import { ConfigError } from '../../base/errors.js'

/** What a migration needs to know beyond the database itself. */
export interface MigrationContext {
  /**
   * The mini-program AppID a database written by 0.2 served (`WX_APPID`). 0.2 kept one openid per
   * user without saying which app it came from; needed only when such a database holds users.
   */
  legacyWxAppId?: string | undefined
}

/**
 * Accounts with identities: `users` keeps the business user (same ids, so refresh families and
 * whatever the app keyed by user id stay valid); its openid and unionid become a `weixin` identity of
 * the configured mini-program, its session key moves onto that identity, its unionid becomes the
 * user's anchor in `identity_unions`. The old tables are rebuilt rather than altered: SQLite cannot
 * drop a UNIQUE column.
 */
export function identities({ legacyWxAppId }: MigrationContext): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const { rows } = await sql<{ one: number }>`select 1 as one from users limit 1`.execute(db)
      if (rows.length > 0 && !legacyWxAppId) {
        throw new ConfigError(
          'This database was written by uni-mp-auth 0.2: its users were logged in through one WeChat mini-program, ' +
            'whose AppID the migration must record. Pass it once: createStore(url, { legacyWxAppId: "wx…" }) ' +
            '(the standalone server passes WX_APPID).',
        )
      }
      await db.schema.alterTable('users').renameTo('users_0_2').execute()

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('phone', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute()
      await sql`insert into users (id, phone, created_at) select id, phone, created_at from users_0_2`.execute(db)

      await db.schema
        .createTable('identities')
        .addColumn('provider', 'text', (col) => col.notNull())
        .addColumn('app_id', 'text', (col) => col.notNull())
        .addColumn('subject', 'text', (col) => col.notNull())
        .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
        .addColumn('platform', 'text', (col) => col.notNull())
        .addColumn('unionid', 'text')
        .addColumn('session_key', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('identities_pk', ['provider', 'app_id', 'subject'])
        .execute()
      // One identity per app and user; also the index behind listing a user's identities.
      await db.schema.createIndex('identities_user_app').on('identities').columns(['user_id', 'provider', 'app_id']).unique().execute()

      await db.schema
        .createTable('identity_unions')
        .addColumn('provider', 'text', (col) => col.notNull())
        .addColumn('unionid', 'text', (col) => col.notNull())
        .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('identity_unions_pk', ['provider', 'unionid'])
        .execute()

      if (legacyWxAppId) {
        await sql`
          insert into identities (provider, app_id, subject, user_id, platform, unionid, session_key, created_at)
          select 'weixin', ${legacyWxAppId}, u.openid, u.id, 'mp-weixin', u.unionid, k.session_key, u.created_at
          from users_0_2 u left join session_keys k on k.openid = u.openid`.execute(db)
        await sql`
          insert into identity_unions (provider, unionid, user_id)
          select 'weixin', unionid, id from users_0_2 where unionid is not null`.execute(db)
      }
      await db.schema.dropTable('users_0_2').execute()
      await db.schema.dropTable('session_keys').execute()
    },
  }
}
