import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { createStore } from '../../src/store/create-store.js'
import { MIGRATION_NAMES } from '../../src/store/migrations/index.js'
import { schemaFor, sqliteFileUrl } from '../helpers/stores.js'

const CHILD = fileURLToPath(new URL('../helpers/open-store-child.ts', import.meta.url))
const run = promisify(execFile)

/** Starts `count` real processes that open the same fresh store at the same moment. */
async function startTogether(count: number, args: string[]): Promise<void> {
  const startAt = String(Date.now() + 4000)
  await Promise.all(Array.from({ length: count }, () => run(process.execPath, ['--import', 'tsx', CHILD, startAt, ...args])))
}

describe('migrations at start-up', () => {
  it('three processes starting at once on one new SQLite file: all start, each migration runs once', async () => {
    const url = sqliteFileUrl(randomUUID())
    await startTogether(3, [url])
    const db = new BetterSqlite3(url.slice('sqlite:'.length), { readonly: true })
    try {
      const applied = db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]
      expect(applied.map((row) => row.name)).toEqual([...MIGRATION_NAMES].sort())
    } finally {
      db.close()
    }
  }, 60_000)

  it('three processes starting at once on one new PostgreSQL schema: all start, each migration runs once', async () => {
    const schema = schemaFor(randomUUID())
    await startTogether(3, [inject('postgresUrl'), schema])
    const client = new pg.Client({ connectionString: inject('postgresUrl') })
    await client.connect()
    try {
      const { rows } = await client.query(`SELECT name FROM ${schema}.kysely_migration ORDER BY name`)
      expect(rows.map((row) => row.name)).toEqual([...MIGRATION_NAMES].sort())
    } finally {
      await client.end()
    }
  }, 60_000)

  it('refuses a SQLite file from before versioned migrations with a clear message', async () => {
    const url = sqliteFileUrl(randomUUID())
    const db = new BetterSqlite3(url.slice('sqlite:'.length))
    db.exec('CREATE TABLE users (id TEXT PRIMARY KEY, openid TEXT NOT NULL UNIQUE)')
    db.close()
    await expect(createStore(url)).rejects.toMatchObject({ name: 'ConfigError', message: expect.stringMatching(/move it away/) })
  })
})
