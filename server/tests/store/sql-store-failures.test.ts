import type { Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import type { Database } from '../../src/store/schema.js'
import { SqlStore } from '../../src/store/sql-store.js'
import { SQL_ENGINES, spied } from '../helpers/sql-engines.js'
import { mpWeixin, newLogin } from '../helpers/identities.js'

describe.each(SQL_ENGINES)('SqlStore when the database misbehaves: $name', (engine) => {
  const opened: Kysely<Database>[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()))
  })
  const open = async (label?: string) => {
    const bare = await engine.open()
    opened.push(bare)
    const { db, spy, sqlite } = spied(bare)
    return { store: new SqlStore({ db, engine: engine.name, userCacheTtlMs: 0, sqlite, ...(label ? { label } : {}) }), spy, bare }
  }

  it('an unexpected error inside a login transaction reaches the caller and leaves nothing behind', async () => {
    const { store, spy, bare } = await open()
    const broken = new Error('disk on fire')
    spy.failWith = (node) => (node.kind === 'InsertQueryNode' && JSON.stringify(node).includes('"refresh_tokens"') ? broken : undefined)
    await expect(store.loginWithIdentity(mpWeixin('o-broken'), newLogin())).rejects.toBe(broken)
    // The user, identity and family written before the failure were rolled back with it.
    for (const table of ['users', 'identities', 'refresh_families'] as const) {
      expect(await bare.selectFrom(table).selectAll().execute(), table).toEqual([])
    }
  })

  it('names "The database" in STORE_UNAVAILABLE unless given a label', async () => {
    const refused = () => Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' })
    for (const [label, name] of [
      [undefined, 'The database'],
      ['PostgreSQL', 'PostgreSQL'],
    ] as const) {
      const { store, spy } = await open(label)
      spy.failWith = refused
      await expect(store.getUserById('u')).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: `${name} is unavailable; try again shortly`,
      })
    }
  })
})

describe('SqlStore on PostgreSQL when concurrent logins keep winning', () => {
  it('a login that keeps losing races gives up with a clear error after three passes', async () => {
    const bare = await SQL_ENGINES[1]!.open()
    try {
      const { db, spy } = spied(bare)
      const store = new SqlStore({ db, engine: 'postgres', userCacheTtlMs: 0 })
      // Every row the login reads or inserts vanishes, as if another transaction always took the key first.
      spy.rewrite = (result) => ({ ...result, rows: [] })
      await expect(store.loginWithIdentity(mpWeixin('o-vanishing'), newLogin())).rejects.toThrow(
        'loginWithIdentity: concurrent writers changed the identities under three consecutive passes',
      )
      // The known-identity statement, then three passes that each found no identity and rolled back.
      expect(spy.take().filter((kind) => kind === 'UpdateQueryNode')).toHaveLength(3)
      spy.rewrite = undefined
      expect(await bare.selectFrom('users').selectAll().execute()).toEqual([])
    } finally {
      await bare.destroy()
    }
  })
})
