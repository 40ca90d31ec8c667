import { describe, expect, it } from 'vitest'
import { guardStore, isStoreUnreachable, isUniqueViolation, storeUnavailable } from '../../src/store/store-errors.js'

const withCode = (code: unknown, message = 'driver failure') => Object.assign(new Error(message), { code })

describe('isStoreUnreachable: which driver errors mean "the store cannot be reached"', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])(
    'socket failure %s',
    (code) => {
      expect(isStoreUnreachable(withCode(code))).toBe(true)
    },
  )

  it.each([
    'SQLITE_BUSY',
    'SQLITE_BUSY_TIMEOUT',
    'SQLITE_LOCKED',
    'SQLITE_LOCKED_SHAREDCACHE',
    'SQLITE_IOERR_WRITE',
    'SQLITE_FULL',
    'SQLITE_CANTOPEN',
  ])('SQLite %s (extended codes by prefix)', (code) => {
    expect(isStoreUnreachable(withCode(code))).toBe(true)
  })

  it.each(['08000', '08006', '08P01', '57P01', '57P02', '57P03', '53300'])('PostgreSQL SQLSTATE %s', (code) => {
    expect(isStoreUnreachable(withCode(code))).toBe(true)
  })

  it.each([
    'Connection terminated unexpectedly',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'Connection is closed.',
    'Reached the max retries per request limit (which is 20). Refer to "maxRetriesPerRequest" option for details.',
    'Command timed out',
  ])('a connection failure reported by message only: %s', (message) => {
    expect(isStoreUnreachable(new Error(message))).toBe(true)
  })

  it.each([
    ['a unique violation', '23505'],
    ['a syntax error', '42601'],
    ['a missing table', '42P01'],
    ['another class 57 state', '57014'],
    ['57P0 followed by another digit', '57P04'],
    ['a longer code starting like a connection state', '080060'],
    ['a code ending like a connection state', 'X08006'],
    ['53300 inside a longer code', '533001'],
    ['a too-short class 08 code', '0800'],
    ['a SQLite constraint failure', 'SQLITE_CONSTRAINT_UNIQUE'],
    ['a SQLite code that only contains a busy one', 'X_SQLITE_BUSY'],
    ['a non-string code', 8006],
    ['no code', undefined],
  ])('not for %s', (_what, code) => {
    expect(isStoreUnreachable(withCode(code, 'something else went wrong'))).toBe(false)
  })

  it('not for values that are not errors, even shaped like one', () => {
    expect(isStoreUnreachable({ code: 'ECONNREFUSED', message: 'Connection terminated' })).toBe(false)
    expect(isStoreUnreachable('ECONNREFUSED')).toBe(false)
    expect(isStoreUnreachable(undefined)).toBe(false)
  })

  it('looks into an AggregateError (every address of a host refused)', () => {
    const refused = new AggregateError([withCode('EADDRNOTAVAIL'), withCode('ECONNREFUSED')], 'all addresses failed')
    expect(isStoreUnreachable(refused)).toBe(true)
    expect(isStoreUnreachable(new AggregateError([withCode('EADDRNOTAVAIL'), new Error('bug')], 'all failed'))).toBe(false)
  })

  it('follows the cause chain, and stops at an error that is its own cause', () => {
    const wrapped = new Error('query failed', { cause: new Error('outer', { cause: withCode('ECONNRESET') }) })
    expect(isStoreUnreachable(wrapped)).toBe(true)
    expect(isStoreUnreachable(new Error('query failed', { cause: new Error('bug') }))).toBe(false)
    const loop = new Error('loop')
    loop.cause = loop
    expect(isStoreUnreachable(loop)).toBe(false)
  })
})

describe('isUniqueViolation: another writer got there first', () => {
  it.each(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'])('%s', (code) => {
    expect(isUniqueViolation(withCode(code))).toBe(true)
  })

  it.each(['23503', 'SQLITE_CONSTRAINT_FOREIGNKEY', 'SQLITE_CONSTRAINT', undefined])('not %s', (code) => {
    expect(isUniqueViolation(withCode(code))).toBe(false)
  })

  it('not for values that are not errors', () => {
    expect(isUniqueViolation({ code: '23505' })).toBe(false)
  })
})

describe('guardStore: 503 STORE_UNAVAILABLE for an unreachable store, every other error unchanged', () => {
  it('passes a result through', async () => {
    await expect(guardStore('PostgreSQL', async () => 42)).resolves.toBe(42)
  })

  it('turns an unreachable store into STORE_UNAVAILABLE naming the store, keeping the driver error as cause', async () => {
    const refused = withCode('ECONNREFUSED')
    const error = await guardStore('PostgreSQL', () => Promise.reject(refused)).catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      name: 'HttpAuthError',
      code: 'STORE_UNAVAILABLE',
      statusCode: 503,
      message: 'PostgreSQL is unavailable; try again shortly',
    })
    expect((error as Error).cause).toBe(refused)
  })

  it('rethrows any other error as it is', async () => {
    const bug = withCode('42601')
    await expect(guardStore('SQLite', () => Promise.reject(bug))).rejects.toBe(bug)
  })

  it('storeUnavailable builds the same error for callers outside a guarded call', () => {
    const cause = new Error('down')
    const error = storeUnavailable('Redis', cause)
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', statusCode: 503, message: 'Redis is unavailable; try again shortly' })
    expect(error.cause).toBe(cause)
  })
})
