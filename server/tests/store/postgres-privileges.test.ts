import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ConfigError } from '../../src/base/errors.js'
import { createStore } from '../../src/store/create-store.js'

// A role that is not the database owner, on fresh databases of the test cluster (PostgreSQL 15+:
// `public` is owned by pg_database_owner and only USAGE is granted to everyone).
const suffix = randomBytes(4).toString('hex')
const role = `uma_app_${suffix}`
const databases = [`uma_grant_${suffix}`, `uma_own_schema_${suffix}`]
const adminUrl = inject('postgresUrl')

function urlFor(user: string, database: string): string {
  const url = new URL(adminUrl)
  url.username = user
  url.pathname = `/${database}`
  return url.toString()
}

async function asAdmin(database: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor('postgres', database) })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** The statements the error tells the operator to run, in order. */
function fixesIn(message: string): string[] {
  return [...message.matchAll(/`([^`]+;)`/g)].map((match) => match[1]!)
}

async function refusal(database: string): Promise<ConfigError> {
  const error = await createStore(urlFor(role, database)).then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

beforeAll(async () => {
  await asAdmin('postgres', `CREATE ROLE ${role} LOGIN`)
  for (const database of databases) await asAdmin('postgres', `CREATE DATABASE ${database}`)
})

afterAll(async () => {
  for (const database of databases) await asAdmin('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
  await asAdmin('postgres', `DROP ROLE IF EXISTS ${role}`)
})

describe('a PostgreSQL role without CREATE on its schema', () => {
  it('is refused at start-up with a ConfigError naming both fixes', async () => {
    const error = await refusal(databases[0]!)
    expect(error.message).toContain(`PostgreSQL role ${role} may not create tables in schema public`)
    expect(fixesIn(error.message)).toEqual([`GRANT CREATE ON SCHEMA public TO ${role};`, `CREATE SCHEMA ${role} AUTHORIZATION ${role};`])
  })

  it('starts once the database owner ran the GRANT the message gives', async () => {
    const [grant] = fixesIn((await refusal(databases[0]!)).message)
    await asAdmin(databases[0]!, grant!)
    const store = await createStore(urlFor(role, databases[0]!))
    await store.close()
  })

  it('starts once the role has the schema of its own the message gives, and keeps its tables there', async () => {
    const [, ownSchema] = fixesIn((await refusal(databases[1]!)).message)
    await asAdmin(databases[1]!, ownSchema!)
    const store = await createStore(urlFor(role, databases[1]!))
    await store.close()
    const client = new pg.Client({ connectionString: urlFor('postgres', databases[1]!) })
    await client.connect()
    try {
      const { rows } = await client.query("SELECT table_schema FROM information_schema.tables WHERE table_name = 'kysely_migration'")
      expect(rows).toEqual([{ table_schema: role }])
    } finally {
      await client.end()
    }
  })
})
