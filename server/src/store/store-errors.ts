import { HttpAuthError } from '../base/errors.js'

// Socket-level failures of any client (pg, ioredis): the store is down or unreachable.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
// SQLite (extended codes share these prefixes): the file stayed locked past the busy timeout, or the disk failed.
const SQLITE_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN']
// PostgreSQL SQLSTATEs: 08xxx connection exceptions; 57P01-57P03 shutting down, crashed, starting up;
// 53300 too many connections.
const POSTGRES_STATES = /^(08...|57P0[123]|53300)$/
// pg and ioredis report a dropped or never-made connection by message only.
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is closed',
  'Reached the max retries per request limit',
  'Command timed out',
]

function codeOf(error: Error): string {
  const { code } = error as { code?: unknown }
  return typeof code === 'string' ? code : ''
}

/** True for failures that mean "the store cannot be reached right now", as opposed to a bug or bad data. */
export function isStoreUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = codeOf(error)
  if (NETWORK_CODES.has(code) || POSTGRES_STATES.test(code)) return true
  if (SQLITE_CODES.some((prefix) => code.startsWith(prefix))) return true
  if (CONNECTION_MESSAGES.some((message) => error.message.includes(message))) return true
  // AggregateError (e.g. connecting to every address of `localhost` failed) and wrapped causes.
  if (error instanceof AggregateError && error.errors.some(isStoreUnreachable)) return true
  return error.cause !== error && isStoreUnreachable(error.cause)
}

/** A unique constraint refused a row: another writer got there first. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = codeOf(error)
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

/** What the API answers while a store is down: 503 `STORE_UNAVAILABLE`, the driver's error kept as the cause for logs. */
export function storeUnavailable(what: string, cause: unknown): HttpAuthError {
  return new HttpAuthError('STORE_UNAVAILABLE', `${what} is unavailable; try again shortly`, { cause })
}

/** Runs one store operation, turning "cannot reach the store" into a 503 and leaving every other error as it is. */
export async function guardStore<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw isStoreUnreachable(error) ? storeUnavailable(what, error) : error
  }
}
