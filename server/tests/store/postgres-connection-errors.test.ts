import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openPostgres } from '../../src/store/postgres-database.js'
import type { Database } from '../../src/store/schema.js'
import { guardStore } from '../../src/store/store-errors.js'
import { schemaFor } from '../helpers/stores.js'
import type { Kysely } from 'kysely'

// PostgreSQL ending a session (a restart's fast shutdown, a failover, an admin's
// pg_terminate_backend) sends 57P01 and closes the socket. A client checked out at that moment,
// between two statements of a transaction, has no pool listener: unheard, its 'error' event
// would end the test process (vitest reports it as an unhandled error and fails the run).
describe('a PostgreSQL session ended under a checked-out client', () => {
  let db: Kysely<Database>
  let admin: pg.Client
  const reported: Error[] = []

  beforeAll(async () => {
    db = await openPostgres({
      connectionString: inject('postgresUrl'),
      schema: schemaFor(undefined),
      poolSize: 2,
      onConnectionError: (error) => reported.push(error),
    })
    admin = new pg.Client({ connectionString: inject('postgresUrl') })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.end()
    await db?.destroy()
  })

  it('fails the transaction as STORE_UNAVAILABLE, reports the error, and the pool serves the next query', async () => {
    const transaction = guardStore('PostgreSQL', () =>
      db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid])
        // The client sits checked out, idle, while its session is ended under it.
        await new Promise((resolve) => setTimeout(resolve, 300))
        await sql`select 1`.execute(trx)
      }),
    )
    await expect(transaction).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', statusCode: 503 })
    expect(reported.length).toBeGreaterThan(0)
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db)
    expect(rows).toEqual([{ one: 1 }])
  })

  it('fails a statement whose session is ended while it runs, without an unheard error', async () => {
    const running = guardStore('PostgreSQL', async () => {
      await sql`select pg_sleep(5)`.execute(db)
    }).then(
      () => null,
      (error: unknown) => error,
    )
    await new Promise((resolve) => setTimeout(resolve, 200))
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where query like '%pg_sleep(5)%' and pid <> pg_backend_pid()")
    expect(await running).toMatchObject({ code: 'STORE_UNAVAILABLE' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db)
    expect(rows).toEqual([{ one: 1 }])
  })
})
