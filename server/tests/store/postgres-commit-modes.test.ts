import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startPostgres } from '../../scripts/ensure-postgres.mjs'
import { createStore } from '../../src/store/create-store.js'
import type { AuthStore } from '../../src/store/types.js'
import { mpWeixin, newLogin } from '../helpers/identities.js'
import { rotate } from '../helpers/rotate.js'

// Which commits wait for the disk (docs/ARCHITECTURE.md, "What a PostgreSQL commit waits for"):
// a deferred trigger runs just before each commit and records the `synchronous_commit` that
// commit uses, in a database whose own default is `on` (the test cluster's is `off`).
describe('PostgreSQL commit modes of the login path', () => {
  const database = `uma_commit_modes_${randomUUID().replaceAll('-', '')}`
  const url = inject('postgresUrl').replace(/\/[^/]+$/, `/${database}`)
  const admin = new pg.Client({ connectionString: inject('postgresUrl') })
  let store: AuthStore
  let client: pg.Client

  beforeAll(async () => {
    await admin.connect()
    await admin.query(`create database ${database}`)
    await admin.query(`alter database ${database} set synchronous_commit = on`)
    store = await createStore(url, { userCacheTtlMs: 0 })
    client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`
      create table commit_modes (seq serial primary key, what text not null, mode text not null);
      create function record_commit_mode() returns trigger language plpgsql as $$
        begin
          insert into commit_modes (what, mode) values (tg_table_name || ' ' || lower(tg_op), current_setting('synchronous_commit'));
          return null;
        end $$;
      create constraint trigger users_commit after insert on users
        deferrable initially deferred for each row execute function record_commit_mode();
      create constraint trigger tokens_commit after insert or update on refresh_tokens
        deferrable initially deferred for each row execute function record_commit_mode();
      create constraint trigger families_commit after update on refresh_families
        deferrable initially deferred for each row execute function record_commit_mode();
      create constraint trigger unions_commit after insert on identity_unions
        deferrable initially deferred for each row execute function record_commit_mode();`)
  })

  afterAll(async () => {
    await client?.end()
    await store?.close()
    await admin.query(`drop database if exists ${database}`)
    await admin.end()
  })

  /** The commit modes recorded since the last call, one per written row. */
  async function modes(): Promise<string[]> {
    const { rows } = await client.query<{ seq: number; what: string; mode: string }>('delete from commit_modes returning seq, what, mode')
    return rows.sort((a, b) => a.seq - b.seq).map((row) => `${row.what}: ${row.mode}`)
  }

  it('a first login is durable; a known identity logging in again does not wait for the disk', async () => {
    const first = newLogin()
    const user = await store.loginWithIdentity(mpWeixin('o-first'), first)
    expect(await modes()).toEqual(['users insert: on', 'refresh_tokens insert: on'])
    const again = newLogin()
    expect((await store.loginWithIdentity(mpWeixin('o-first'), again)).id).toBe(user.id)
    expect(await modes()).toEqual(['refresh_tokens insert: off'])
  })

  it('a known identity that brings its unionid for the first time anchors it durably, later logins do not wait', async () => {
    await store.loginWithIdentity(mpWeixin('o-union'), newLogin())
    await modes()
    await store.loginWithIdentity(mpWeixin('o-union', { unionid: 'u-union' }), newLogin())
    expect(await modes()).toEqual(['identity_unions insert: on', 'refresh_tokens insert: on'])
    await store.loginWithIdentity(mpWeixin('o-union', { unionid: 'u-union' }), newLogin())
    expect(await modes()).toEqual(['refresh_tokens insert: off'])
  })

  it('rotation, logout and logout-all stay durable', async () => {
    const login = newLogin()
    const user = await store.loginWithIdentity(mpWeixin('o-revoke'), login)
    await store.loginWithIdentity(mpWeixin('o-revoke'), newLogin())
    await modes()
    expect((await rotate(store, login.refreshTokenHash)).status).toBe('ok')
    expect(await modes()).toEqual(['refresh_tokens update: on', 'refresh_tokens insert: on'])
    await store.revokeFamily(login.familyId)
    expect(await modes()).toEqual(['refresh_families update: on'])
    await store.revokeAllFamiliesOfUser(user.id)
    expect(await modes()).toEqual(['refresh_families update: on'])
  })

  it('the prepared login statements outlive a column a newer release adds to users', async () => {
    // One connection, so the second login reuses the statement the first one prepared.
    const single = await createStore(url, { userCacheTtlMs: 0, poolSize: 1 })
    try {
      const user = await single.loginWithIdentity(mpWeixin('o-prepared'), newLogin())
      expect((await single.loginWithIdentity(mpWeixin('o-prepared'), newLogin())).id).toBe(user.id)
      await client.query('alter table users add column nickname text')
      expect(await single.loginWithIdentity(mpWeixin('o-prepared'), newLogin())).toEqual(user)
      expect(await single.loginWithIdentity(mpWeixin('o-prepared', { unionid: 'u-prepared' }), newLogin())).toEqual(user)
    } finally {
      await single.close()
      await modes()
    }
  })

  it('a code claim does not wait for the disk', async () => {
    await client.query(`create constraint trigger claims_commit after insert on code_claims
      deferrable initially deferred for each row execute function record_commit_mode()`)
    expect(await store.claimCode(`code-${randomUUID()}`, 60_000)).toBe(true)
    expect(await modes()).toEqual(['code_claims insert: off'])
  })
})

// A durable cluster of its own (fsync on), stopped and started like a deployment's.
describe('PostgreSQL restarts keep the logins', () => {
  let postgres: Awaited<ReturnType<typeof startPostgres>>
  beforeAll(async () => {
    postgres = await startPostgres({ durable: true })
  }, 60_000)
  afterAll(async () => {
    await postgres?.destroy()
  })

  it("a known identity's refresh token survives a normal restart, a first login survives a crash", async () => {
    let store = await createStore(postgres.url, { userCacheTtlMs: 0 })
    const first = newLogin()
    const user = await store.loginWithIdentity(mpWeixin('o-restart'), first)
    const known = newLogin()
    await store.loginWithIdentity(mpWeixin('o-restart'), known)
    await store.close()
    await postgres.stop() // fast shutdown: what a deploy or a host reboot does
    await postgres.start()
    store = await createStore(postgres.url, { userCacheTtlMs: 0 })
    expect(await rotate(store, known.refreshTokenHash)).toEqual({ status: 'ok', userId: user.id, familyId: known.familyId })

    const crashed = await store.loginWithIdentity(mpWeixin('o-crash'), newLogin())
    await store.close()
    // Immediate shutdown: the postmaster and its processes quit without writing anything more (a crash).
    const postmasterPid = Number(readFileSync(join(postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
    process.kill(postmasterPid, 'SIGQUIT')
    await postgres.stop()
    await postgres.start()
    store = await createStore(postgres.url, { userCacheTtlMs: 0 })
    expect(await store.getUserById(crashed.id)).toEqual(crashed)
    expect(await rotate(store, first.refreshTokenHash)).toMatchObject({ status: 'ok', userId: user.id })
    await store.close()
  }, 60_000)
})
