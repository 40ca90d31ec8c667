import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningPostgres, startPostgres } from '../../scripts/ensure-postgres.mjs'
import { createRedisClient } from '../../src/store/redis-client.js'
import { createStore } from '../../src/store/create-store.js'
import { RedisTokenCache } from '../../src/store/redis-token-cache.js'
import type { AuthStore } from '../../src/store/types.js'
import { type Harness, startHarness } from '../helpers/harness.js'
import { loginAs, mpWeixin } from '../helpers/identities.js'

const UNAVAILABLE = { name: 'HttpAuthError', code: 'STORE_UNAVAILABLE', statusCode: 503 }

async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

// A cluster of its own: stopping the shared one would break every other suite running beside this.
describe('PostgreSQL going away and coming back', () => {
  let postgres: RunningPostgres
  let store: AuthStore
  let harness: Harness
  beforeAll(async () => {
    postgres = await startPostgres()
    // User cache off: every read below must reach PostgreSQL (a cached user would hide the outage).
    store = await createStore(postgres.url, { poolSize: 2, userCacheTtlMs: 0 })
    harness = await startHarness({ env: { STORE_URL: postgres.url } })
  }, 60_000)
  afterAll(async () => {
    await harness?.close()
    await store?.close()
    await postgres?.destroy()
  })

  it('answers 503 STORE_UNAVAILABLE while down, recovers after, and loses nothing', async () => {
    const user = await loginAs(store, mpWeixin('o-survivor'))
    const session = await harness.login({ openid: 'o-http' })
    await postgres.stop()

    await expect(store.ping()).rejects.toMatchObject(UNAVAILABLE)
    await expect(store.getUserById(user.id)).rejects.toMatchObject(UNAVAILABLE)
    const { code } = harness.mock.state.mintLoginCode({ openid: 'o-while-down' })
    const login = await harness.inject({ method: 'POST', url: '/auth/login', payload: { code } })
    expect(login.statusCode).toBe(503)
    expect(login.json()).toEqual({ code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/PostgreSQL is unavailable/) })
    const refresh = await harness.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: session.refreshToken } })
    expect(refresh.statusCode).toBe(503)

    await postgres.start()
    // The pool drops its dead connections and opens new ones: no restart of the backend needed.
    await eventually(() => store.ping())
    expect(await store.getUserById(user.id)).toEqual(user)
    await eventually(async () => {
      const again = await harness.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: session.refreshToken } })
      expect(again.statusCode, again.body).toBe(200)
      expect(again.json().user.id).toBe(session.user.id)
    })
  }, 60_000)
})

describe('Redis (access_token cache) unreachable', () => {
  it('fails fast with 503 STORE_UNAVAILABLE instead of queueing', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number }
        server.close(() => resolve(address.port))
      })
    })
    const redis = createRedisClient(`redis://127.0.0.1:${port}`)
    redis.on('error', () => {})
    try {
      const cache = new RedisTokenCache({ redis })
      await expect(cache.getAccessToken('wxA')).rejects.toMatchObject({ ...UNAVAILABLE, message: expect.stringMatching(/Redis/) })
      await expect(cache.acquireLock('l', 1000)).rejects.toMatchObject(UNAVAILABLE)
    } finally {
      redis.disconnect()
    }
  })
})
