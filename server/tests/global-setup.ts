import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { startPostgres } from '../scripts/ensure-postgres.mjs'
import { startRedis } from '../scripts/ensure-redis.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string
    /** A database of its own on the throwaway cluster; tests isolate themselves by schema. */
    postgresUrl: string
  }
}

const TEST_DATABASE = 'uma_test'

// Never skipped: without redis-server or PostgreSQL the suites must fail loudly, not vanish.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()])
  const admin = new pg.Client({ connectionString: postgres.url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${TEST_DATABASE}`)
  await admin.end()
  project.provide('redisUrl', redis.url)
  project.provide('postgresUrl', postgres.url.replace(/\/postgres$/, `/${TEST_DATABASE}`))
  return async () => {
    await Promise.all([redis.stop(), postgres.destroy()])
  }
}
