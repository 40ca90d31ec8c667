import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { SERVER_DEFAULTS } from '../../src/base/defaults.js'
import { createStore } from '../../src/store/create-store.js'
import type { AuthStore } from '../../src/store/types.js'
import { schemaFor, sqliteFileUrl } from '../helpers/stores.js'
import { loginAs, mpWeixin } from '../helpers/identities.js'

const KINDS = [
  { name: 'sqlite file', url: (shared: string) => sqliteFileUrl(shared), schema: () => undefined },
  { name: 'postgres', url: () => inject('postgresUrl'), schema: (shared: string) => schemaFor(shared) },
]

describe.each(KINDS)('user lookups served from memory: $name', (kind) => {
  let now = 1_800_000_000_000
  const opened: AuthStore[] = []
  const open = async (shared: string, userCacheTtlMs: number | undefined) => {
    const store = await createStore(kind.url(shared), {
      now: () => now,
      schema: kind.schema(shared),
      poolSize: 2,
      ...(userCacheTtlMs === undefined ? {} : { userCacheTtlMs }),
    })
    opened.push(store)
    return store
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()))
  })

  it("shows this instance's writes at once and another instance's after at most the TTL", async () => {
    const shared = randomUUID()
    const a = await open(shared, 1000)
    const b = await open(shared, 1000)
    const user = await loginAs(a, mpWeixin('o-cache'))
    expect((await a.getUserById(user.id))?.phone).toBeNull()
    expect((await b.getUserById(user.id))?.phone).toBeNull()

    expect((await a.setUserPhone(user.id, '13800138000'))?.phone).toBe('13800138000')
    expect((await a.getUserById(user.id))?.phone).toBe('13800138000')
    // b read the user just before: it may answer from memory until its entry is 1 s old.
    expect((await b.getUserById(user.id))?.phone).toBeNull()
    now += 1000
    expect((await b.getUserById(user.id))?.phone).toBe('13800138000')
  })

  it('caches for SERVER_DEFAULTS.userCacheTtlMs when not told, the same default as USER_CACHE_TTL_MS', async () => {
    const shared = randomUUID()
    const a = await open(shared, undefined)
    const b = await open(shared, undefined)
    const user = await loginAs(a, mpWeixin('o-default'))
    expect((await b.getUserById(user.id))?.phone).toBeNull()
    await a.setUserPhone(user.id, '13600136000')
    now += SERVER_DEFAULTS.userCacheTtlMs - 1
    expect((await b.getUserById(user.id))?.phone).toBeNull()
    now += 1
    expect((await b.getUserById(user.id))?.phone).toBe('13600136000')
  })

  it('with TTL 0 every lookup reads the database', async () => {
    const shared = randomUUID()
    const a = await open(shared, 0)
    const b = await open(shared, 0)
    const user = await loginAs(a, mpWeixin('o-nocache'))
    expect((await b.getUserById(user.id))?.phone).toBeNull()
    await a.setUserPhone(user.id, '13900139000')
    expect((await b.getUserById(user.id))?.phone).toBe('13900139000')
  })

  it('with TTL 0 every lookup reads the database, even after the wall clock stepped back', async () => {
    const shared = randomUUID()
    const a = await open(shared, 0)
    const b = await open(shared, 0)
    const user = await loginAs(a, mpWeixin('o-clock-back'))
    expect((await b.getUserById(user.id))?.phone).toBeNull()
    await a.setUserPhone(user.id, '13700137000')
    now -= 1000 // an NTP step: Date.now() can go backwards
    expect((await b.getUserById(user.id))?.phone).toBe('13700137000')
  })
})
