import { type Kysely, sql } from 'kysely'
import { ConfigError } from '../base/errors.js'
import type { Database } from './schema.js'

const INSUFFICIENT_PRIVILEGE = '42501'

function hasErrorCode(error: unknown, code: string): boolean {
  // Kysely's migrator and ours wrap the driver's error; a few levels of `cause` are enough.
  let current = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    if ((current as { code?: unknown }).code === code) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`
}

/**
 * The start-up migrations create tables. PostgreSQL 15 and later no longer let every role create in
 * `public`, so a role that is not the database owner fails there with "permission denied": this
 * turns that failure into a ConfigError with the SQL that fixes it. Asked of the database rather
 * than read from the driver's message, which follows the server's locale. `undefined` when the
 * failure has another cause.
 */
export async function missingCreatePrivilege(db: Kysely<Database>, error: unknown): Promise<ConfigError | undefined> {
  if (!hasErrorCode(error, INSUFFICIENT_PRIVILEGE)) return undefined
  const { rows } = await sql<{ role: string; schema: string | null; allowed: boolean | null }>`
    select current_user as role, current_schema() as schema, has_schema_privilege(current_schema(), 'CREATE') as allowed
  `.execute(db)
  const found = rows[0]
  if (!found?.schema || found.allowed !== false) return undefined
  const role = quoteIdentifier(found.role)
  const schema = quoteIdentifier(found.schema)
  return new ConfigError(
    `PostgreSQL role ${role} may not create tables in schema ${schema}, which the start-up migrations need ` +
      '(PostgreSQL 15 and later no longer grant CREATE on schema public to every role). As the database owner, run ' +
      `\`GRANT CREATE ON SCHEMA ${schema} TO ${role};\`, or give the role a schema of its own, which the default ` +
      `search_path ("$user", public) finds first: \`CREATE SCHEMA ${role} AUTHORIZATION ${role};\``,
    { cause: error },
  )
}
