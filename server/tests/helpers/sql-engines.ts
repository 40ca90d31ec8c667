import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely'
import { inject } from 'vitest'
import { openPostgres } from '../../src/store/postgres-database.js'
import type { Database } from '../../src/store/schema.js'
import { openSqlite, type SqliteTransactions, sqliteTransactionsOf } from '../../src/store/sqlite-database.js'
import { schemaFor } from './stores.js'

/** Both SQL engines, opened bare (migrated, no SqlStore yet), for tests of SqlStore itself. */
export const SQL_ENGINES = [
  { name: 'sqlite' as const, open: () => openSqlite(':memory:') },
  {
    name: 'postgres' as const,
    open: () => openPostgres({ connectionString: inject('postgresUrl'), schema: schemaFor(undefined), poolSize: 2 }),
  },
]

/**
 * A Kysely plugin that sees every statement SqlStore runs: records its kind (`SelectQueryNode`,
 * `InsertQueryNode`, …), and lets a test fail a statement or rewrite its result.
 */
export class StatementSpy implements KyselyPlugin {
  readonly kinds: string[] = []
  /** Fails each statement for which it returns an error (with that error); the others run. */
  failWith: ((node: RootOperationNode) => Error | undefined) | undefined
  /** Rewrites every result (e.g. to make rows vanish). */
  rewrite: ((result: QueryResult<UnknownRow>) => QueryResult<UnknownRow>) | undefined

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    this.kinds.push(node.kind)
    const error = this.failWith?.(node)
    if (error) throw error
    return node
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return this.rewrite ? this.rewrite(result) : result
  }

  /** The kinds recorded since the last call. */
  take(): string[] {
    return this.kinds.splice(0)
  }
}

/**
 * The database with a spy; `sqlite` carries the bare database's synchronous transactions over (on
 * SQLite those statements are compiled, so seen by the spy, but their results bypass `rewrite`).
 */
export function spied(db: Kysely<Database>): { db: Kysely<Database>; spy: StatementSpy; sqlite: SqliteTransactions | undefined } {
  const spy = new StatementSpy()
  return { db: db.withPlugin(spy), spy, sqlite: sqliteTransactionsOf(db) }
}
