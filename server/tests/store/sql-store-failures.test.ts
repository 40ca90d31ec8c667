import type { Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import type { Database } from '../../src/store/schema.js'
import { SqlStore } from '../../src/store/sql-store.js'
import { SQL_ENGINES, spied } from '../helpers/sql-engines.js'

describe.each(SQL_ENGINES)('SqlStore when the database misbehaves: $name', (engine) => {
  const opened: Kysely<Database>[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()))
  })
  const open = async (label?: string) => {
    const bare = await engine.open()
    opened.push(bare)
    const { db, spy } = spied(bare)
    return { store: new SqlStore({ db, engine: engine.name, userCacheTtlMs: 0, ...(label ? { label } : {}) }), spy }
  }

  it('upsertUser gives up with a clear error after three passes when every row it wrote or read vanishes', async () => {
    const { store, spy } = await open()
    spy.rewrite = (result) => ({ ...result, rows: [] })
    await expect(store.upsertUser({ openid: 'o-vanishing' })).rejects.toThrow(
      'upsertUser: the users table changed under three consecutive passes',
    )
    expect(spy.take().filter((kind) => kind === 'SelectQueryNode')).toHaveLength(3)
  })

  it('an unexpected error while attaching a unionid reaches the caller', async () => {
    const { store, spy } = await open()
    await store.upsertUser({ openid: 'o-attach' })
    const broken = new Error('disk on fire')
    spy.failWith = (node) => (node.kind === 'UpdateQueryNode' ? broken : undefined)
    await expect(store.upsertUser({ openid: 'o-attach', unionid: 'u-attach' })).rejects.toBe(broken)
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
