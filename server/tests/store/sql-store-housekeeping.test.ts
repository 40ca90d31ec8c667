import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openPostgres } from '../../src/store/postgres-database.js'
import type { Database } from '../../src/store/schema.js'
import { SqlStore } from '../../src/store/sql-store.js'
import { openSqlite } from '../../src/store/sqlite-database.js'
import { rotate } from '../helpers/rotate.js'
import { inject } from 'vitest'
import { schemaFor } from '../helpers/stores.js'

const ENGINES = [
  { name: 'sqlite' as const, open: () => openSqlite(':memory:') },
  {
    name: 'postgres' as const,
    open: () => openPostgres({ connectionString: inject('postgresUrl'), schema: schemaFor(undefined), poolSize: 2 }),
  },
]

describe.each(ENGINES)('SqlStore housekeeping: $name', (engine) => {
  const opened: Kysely<Database>[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()))
  })

  it('deletes expired code claims, refresh tokens and empty families, keeping live ones', async () => {
    const db = await engine.open()
    opened.push(db)
    let now = 1_800_000_000_000
    const store = new SqlStore({ db, engine: engine.name, userCacheTtlMs: 0, now: () => now, purgeIntervalMs: 60_000 })
    const live = randomUUID()
    await store.saveRefreshToken({ hash: 'dies', userId: 'u', familyId: 'fam-dies', expiresAt: now + 1000 })
    await store.saveRefreshToken({ hash: 'lives', userId: 'u', familyId: live, expiresAt: now + 3_600_000 })
    // An older token of a family that lives on: the token goes, the family stays.
    await store.saveRefreshToken({ hash: 'lives-old', userId: 'u', familyId: live, expiresAt: now + 1000 })
    await store.claimCode('old-code', 1000)
    now += 30_000
    await store.claimCode('too-early', 600_000)
    // Within the purge interval nothing is deleted yet.
    expect(await db.selectFrom('code_claims').select('code_hash').execute()).toHaveLength(2)
    now += 60_000
    await store.claimCode('new-code', 600_000)
    expect(await db.selectFrom('code_claims').select('code_hash').execute()).toHaveLength(2)
    expect((await db.selectFrom('refresh_tokens').select('hash').execute()).map((r) => r.hash)).toEqual(['lives'])
    expect((await db.selectFrom('refresh_families').select('id').execute()).map((r) => r.id)).toEqual([live])
    expect((await rotate(store, 'lives')).status).toBe('ok')
  })

  it('purges again as soon as one interval has passed since the last purge', async () => {
    const db = await engine.open()
    opened.push(db)
    let now = 1_800_000_000_000
    const store = new SqlStore({ db, engine: engine.name, userCacheTtlMs: 0, now: () => now, purgeIntervalMs: 60_000 })
    await store.claimCode('expires-soon', 1000) // purges (nothing yet) and claims
    now += 60_000
    await store.claimCode('later', 600_000)
    expect(await db.selectFrom('code_claims').select('expires_at').execute()).toEqual([{ expires_at: now + 600_000 }])
  })
})
