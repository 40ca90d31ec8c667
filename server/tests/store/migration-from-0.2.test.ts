import { randomUUID } from 'node:crypto'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/environment.js'
import { createStore } from '../../src/store/create-store.js'
import { initial } from '../../src/store/migrations/001-initial.js'
import type { AuthStore } from '../../src/store/types.js'
import { h5Weixin, mpWeixin, newLogin } from '../helpers/identities.js'
import { rotate } from '../helpers/rotate.js'
import { schemaFor, sqliteFileUrl } from '../helpers/stores.js'

const APPID = 'wx02released0app1'
const NOW = 1_800_000_000_000

/** A database exactly as 0.2 left it: its one migration, and rows as its store wrote them. */
async function writeAs02(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ '001-initial': initial }) }, migrationTableSchema: schema })
  const { error } = await migrator.migrateToLatest()
  if (error) throw error
  await sql`insert into users (id, openid, unionid, phone, created_at) values
    ('user-with-all', 'o-all', 'u-all', '13800138000', ${NOW}),
    ('user-bare', 'o-bare', null, null, ${NOW + 1})`.execute(db)
  await sql`insert into session_keys (openid, session_key, updated_at) values ('o-all', 'sk-kept', ${NOW})`.execute(db)
  await sql`insert into refresh_families (id, user_id, created_at, revoked_at) values
    ('family-live', 'user-with-all', ${NOW}, null), ('family-revoked', 'user-bare', ${NOW}, ${NOW})`.execute(db)
  await sql`insert into refresh_tokens (hash, family_id, user_id, expires_at, used_at) values
    ('hash-live', 'family-live', 'user-with-all', ${NOW + 86_400_000}, null),
    ('hash-revoked', 'family-revoked', 'user-bare', ${NOW + 86_400_000}, null)`.execute(db)
}

const ENGINES = [
  {
    name: 'sqlite file',
    async written02() {
      const url = sqliteFileUrl(randomUUID())
      const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(url.slice('sqlite:'.length)) }) })
      await writeAs02(db)
      await db.destroy()
      return { open: (legacyWxAppId?: string) => createStore(url, { now: () => NOW, legacyWxAppId }) }
    },
  },
  {
    name: 'postgres',
    async written02() {
      const schema = schemaFor(undefined)
      const pool = new pg.Pool({ connectionString: inject('postgresUrl'), max: 1, options: `-c search_path=${schema}` })
      const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
      await sql`create schema ${sql.id(schema)}`.execute(db)
      await writeAs02(db, schema)
      await db.destroy()
      return {
        open: (legacyWxAppId?: string) => createStore(inject('postgresUrl'), { now: () => NOW, schema, poolSize: 2, legacyWxAppId }),
      }
    },
  },
]

describe.each(ENGINES)('a database written by 0.2, opened by this release: $name', (engine) => {
  const opened: AuthStore[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()))
  })

  it('keeps every user id, phone, session key and refresh family; openid and unionid become identities of the configured app', async () => {
    const { open } = await engine.written02()
    const store = await open(APPID)
    opened.push(store)

    expect(await store.getUserById('user-with-all')).toEqual({ id: 'user-with-all', phone: '13800138000', createdAt: NOW })
    expect(await store.getUserById('user-bare')).toEqual({ id: 'user-bare', phone: null, createdAt: NOW + 1 })
    expect(await store.listIdentities('user-with-all')).toEqual([
      { provider: 'weixin', appId: APPID, subject: 'o-all', platform: 'mp-weixin', unionid: 'u-all', createdAt: NOW },
    ])
    expect(await store.listIdentities('user-bare')).toEqual([
      { provider: 'weixin', appId: APPID, subject: 'o-bare', platform: 'mp-weixin', unionid: null, createdAt: NOW + 1 },
    ])
    expect(await store.getSessionKey({ provider: 'weixin', appId: APPID, subject: 'o-all' })).toBe('sk-kept')
    expect(await store.getSessionKey({ provider: 'weixin', appId: APPID, subject: 'o-bare' })).toBeNull()

    // A refresh token issued by 0.2 still rotates; a family 0.2 revoked stays revoked.
    expect(await rotate(store, 'hash-live')).toEqual({ status: 'ok', userId: 'user-with-all', familyId: 'family-live' })
    expect(await rotate(store, 'hash-revoked')).toEqual({ status: 'invalid' })

    // Logging in again finds the same users; the 0.2 unionid joins the person's other WeChat apps.
    expect((await store.loginWithIdentity(mpWeixin('o-all', { appId: APPID }), newLogin())).id).toBe('user-with-all')
    expect((await store.loginWithIdentity(mpWeixin('o-bare', { appId: APPID }), newLogin())).id).toBe('user-bare')
    expect((await store.loginWithIdentity(h5Weixin('o-h5', { unionid: 'u-all' }), newLogin())).id).toBe('user-with-all')
    // The phone binding survived and can change as before.
    expect((await store.setUserPhone('user-bare', '13900139000'))?.phone).toBe('13900139000')
  })

  it('refuses to guess the AppID of its users, changing nothing, and migrates once it is given', async () => {
    const { open } = await engine.written02()
    await expect(open()).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringMatching(/written by uni-mp-auth 0\.2.*legacyWxAppId/),
    })
    // The failed attempt rolled back: the 0.2 rows are all still there for the next one.
    const store = await open(APPID)
    opened.push(store)
    expect(await store.listIdentities('user-with-all')).toHaveLength(1)
    expect(await rotate(store, 'hash-live')).toMatchObject({ status: 'ok' })
  })
})

it('a 0.2 database without users needs no AppID', async () => {
  const url = sqliteFileUrl(randomUUID())
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(url.slice('sqlite:'.length)) }) })
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ '001-initial': initial }) } })
  expect((await migrator.migrateToLatest()).error).toBeUndefined()
  await db.destroy()
  const store = await createStore(url)
  try {
    expect(await store.loginWithIdentity(mpWeixin('o-first'), newLogin())).toMatchObject({ phone: null })
  } finally {
    await store.close()
  }
})

describe('the standalone server for Douyin only, on a database written by 0.2', () => {
  const douyinOnly = (url: string) =>
    loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-bytes!',
      DOUYIN_APPID: 'tt-only',
      DOUYIN_SECRET: 'tt-secret',
      STORE_URL: url,
    })
  const written02 = async (withUsers: boolean) => {
    const url = sqliteFileUrl(randomUUID())
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(url.slice('sqlite:'.length)) }) })
    if (withUsers) await writeAs02(db)
    else
      expect(
        (await new Migrator({ db, provider: { getMigrations: async () => ({ '001-initial': initial }) } }).migrateToLatest()).error,
      ).toBeUndefined()
    await db.destroy()
    return url
  }

  it('refuses to start when there are 0.2 users to carry over, naming WX_APPID and legacyWxAppId', async () => {
    await expect(buildApp(douyinOnly(await written02(true)), { logger: false })).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringMatching(/legacyWxAppId.*WX_APPID/),
    })
  })

  it('starts without any WeChat setting when the 0.2 database has no users', async () => {
    const app = await buildApp(douyinOnly(await written02(false)), { logger: false })
    try {
      expect(Object.keys(app.uniMpAuth.config.providers)).toEqual(['mp-toutiao'])
    } finally {
      await app.close()
    }
  })
})
