import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMockWechat, type MockWechat } from '../../mock-wechat/app.js'
import { createStore } from '../../src/store/create-store.js'
import type { AccessTokenCache } from '../../src/store/types.js'
import { AccessTokenProvider } from '../../src/wechat/access-token.js'
import { WechatClient } from '../../src/wechat/client.js'
import { TEST_APPID, TEST_SECRET } from '../helpers/harness.js'
import { SHARED_CACHE_KINDS } from '../helpers/stores.js'

let mock: MockWechat
let mockUrl: string

beforeAll(async () => {
  mock = buildMockWechat({ appId: TEST_APPID, secret: TEST_SECRET })
  mockUrl = await mock.app.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(async () => {
  await mock.app.close()
})

function client(tokenEndpoint: 'stable' | 'legacy' = 'stable') {
  return new WechatClient({ appId: TEST_APPID, secret: TEST_SECRET, apiBase: mockUrl, tokenEndpoint, timeoutMs: 1000 })
}

async function upstreamTokenCalls(): Promise<number> {
  const response = await fetch(`${mockUrl}/__stats`)
  const { calls } = (await response.json()) as { calls: Record<string, number> }
  return calls.stable_token! + calls.token!
}

async function resetStats(): Promise<void> {
  await fetch(`${mockUrl}/__reset`, { method: 'POST' })
}

describe('AccessTokenProvider', () => {
  it('50 concurrent callers cause exactly one upstream token request', async () => {
    await resetStats()
    const store = await createStore('sqlite::memory:')
    const wechat = client()
    const provider = new AccessTokenProvider({ appId: TEST_APPID, cache: store, fetchToken: (force) => wechat.fetchAccessToken(force) })
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.get()))
    expect(new Set(tokens).size).toBe(1)
    expect(await upstreamTokenCalls()).toBe(1)
    // Later callers are served from the cache.
    await provider.get()
    expect(await upstreamTokenCalls()).toBe(1)
    await store.close()
  })

  it('refreshes ahead of expiry (injected clock), not before', async () => {
    await resetStats()
    let now = Date.now()
    const store = await createStore('sqlite::memory:', { now: () => now })
    const provider = new AccessTokenProvider({
      appId: TEST_APPID,
      cache: store,
      now: () => now,
      refreshAheadMs: 5 * 60_000,
      fetchToken: async () => ({ accessToken: `t-${now}`, expiresIn: 7200 }),
    })
    const first = await provider.get()
    now += 7200_000 - 6 * 60_000 // 6 minutes left: still served from cache
    expect(await provider.get()).toBe(first)
    now += 2 * 60_000 // 4 minutes left: inside the 5-minute window, refreshed
    const second = await provider.get()
    expect(second).not.toBe(first)
    expect(await provider.get()).toBe(second)
    await store.close()
  })

  it('uses GET /cgi-bin/token when configured as legacy', async () => {
    await resetStats()
    const store = await createStore('sqlite::memory:')
    const wechat = client('legacy')
    const provider = new AccessTokenProvider({ appId: TEST_APPID, cache: store, fetchToken: (force) => wechat.fetchAccessToken(force) })
    await Promise.all(Array.from({ length: 10 }, () => provider.get()))
    const calls = ((await (await fetch(`${mockUrl}/__stats`)).json()) as { calls: Record<string, number> }).calls
    expect(calls).toMatchObject({ token: 1, stable_token: 0 })
    await store.close()
  })

  it('invalidate() replaces a token WeChat rejected, once for concurrent callers', async () => {
    await resetStats()
    const store = await createStore('sqlite::memory:')
    const wechat = client()
    const provider = new AccessTokenProvider({ appId: TEST_APPID, cache: store, fetchToken: (force) => wechat.fetchAccessToken(force) })
    const stale = await provider.get()
    const replaced = await Promise.all(Array.from({ length: 5 }, () => provider.invalidate(stale)))
    expect(new Set(replaced).size).toBe(1)
    expect(replaced[0]).not.toBe(stale)
    expect(await upstreamTokenCalls()).toBe(2)
    await store.close()
  })

  it('surfaces upstream failure and recovers on the next call', async () => {
    await resetStats()
    const store = await createStore('sqlite::memory:')
    const wechat = client()
    const provider = new AccessTokenProvider({ appId: TEST_APPID, cache: store, fetchToken: (force) => wechat.fetchAccessToken(force) })
    await fetch(`${mockUrl}/__faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'stable_token', status: 500 }),
    })
    await expect(provider.get()).rejects.toMatchObject({ code: 'WX_UNAVAILABLE' })
    expect(await provider.get()).toEqual(expect.any(String))
    await store.close()
  })
})

describe.each(SHARED_CACHE_KINDS)('AccessTokenProvider across instances: $name', (kind) => {
  it('three instances × 20 callers → one upstream token request', async () => {
    await resetStats()
    const shared = randomUUID()
    const stores: (AccessTokenCache & { close(): Promise<void> })[] = []
    for (let i = 0; i < 3; i++) stores.push(await kind.open({ shared }))
    try {
      const wechat = client()
      const fetchToken = async (force: boolean) => {
        // Slow upstream widens the race window between instances.
        await new Promise((resolve) => setTimeout(resolve, 100))
        return wechat.fetchAccessToken(force)
      }
      const providers = stores.map((store) => new AccessTokenProvider({ appId: TEST_APPID, cache: store, fetchToken, pollIntervalMs: 20 }))
      const tokens = await Promise.all(providers.flatMap((p) => Array.from({ length: 20 }, () => p.get())))
      expect(new Set(tokens).size).toBe(1)
      expect(await upstreamTokenCalls()).toBe(1)
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })
})
