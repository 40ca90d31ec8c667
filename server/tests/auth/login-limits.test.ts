import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { MemoryTokenBuckets, RedisTokenBuckets } from '../../src/auth/token-bucket.js'
import { SERVER_DEFAULTS as DEFAULTS } from '../../src/base/defaults.js'
import { armFault, type Harness, startHarness } from '../helpers/harness.js'

const NAT = '100.64.0.9'
const opened: Harness[] = []
const clients: Redis[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((harness) => harness.close()))
  for (const client of clients.splice(0)) client.disconnect()
})

describe('token buckets', () => {
  it('memory: `capacity` at once, then one token per refillMs / capacity; refunds never exceed capacity', async () => {
    let now = 0
    const buckets = new MemoryTokenBuckets({ capacity: 3, refillMs: 30_000 }, () => now)
    for (let i = 0; i < 3; i += 1) expect(await buckets.take('a')).toEqual({ taken: true })
    expect(await buckets.take('a')).toEqual({ taken: false, retryInMs: 10_000 })
    expect(await buckets.take('b')).toEqual({ taken: true })
    now += 4_000
    expect(await buckets.take('a')).toEqual({ taken: false, retryInMs: 6_000 })
    now += 6_000
    expect(await buckets.take('a')).toEqual({ taken: true })
    await buckets.refund('a')
    expect(await buckets.take('a')).toEqual({ taken: true })
    expect(await buckets.take('a')).toMatchObject({ taken: false })
    // Full again after refillMs, and a refund on a full bucket adds nothing.
    now += 30_000
    await buckets.refund('a')
    for (let i = 0; i < 3; i += 1) expect(await buckets.take('a')).toEqual({ taken: true })
    expect(await buckets.take('a')).toMatchObject({ taken: false })
  })

  it('redis: one bucket for every instance, refunds included; an unreachable Redis opens the limit', async () => {
    const redis = new Redis(inject('redisUrl'))
    clients.push(redis)
    const prefix = `test:lb:${randomUUID()}:`
    const rule = { capacity: 2, refillMs: 600_000 }
    const a = new RedisTokenBuckets(redis, rule, prefix)
    const b = new RedisTokenBuckets(redis, rule, prefix)
    expect(await a.take('x')).toEqual({ taken: true })
    expect(await b.take('x')).toEqual({ taken: true })
    const refused = await a.take('x')
    expect(refused).toMatchObject({ taken: false })
    expect((refused as { retryInMs: number }).retryInMs).toBeGreaterThan(299_000)
    expect((refused as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(300_000)
    await b.refund('x')
    expect(await a.take('x')).toEqual({ taken: true })

    const down = new Redis('redis://127.0.0.1:9', { maxRetriesPerRequest: 0, lazyConnect: true, enableOfflineQueue: false })
    down.on('error', () => {})
    clients.push(down)
    expect(await new RedisTokenBuckets(down, rule).take('x')).toEqual({ taken: true })
  })
})

describe('logins from one carrier NAT address while WeChat is slow', () => {
  const open = async () => {
    // The production WeChat timeout: a slow answer must not become a 502 on a loaded machine.
    const harness = await startHarness({ env: { WX_TIMEOUT_MS: String(DEFAULTS.wx.timeoutMs) } })
    opened.push(harness)
    return harness
  }
  const login = (harness: Harness, code: string) =>
    harness.inject({ method: 'POST', url: '/auth/login', payload: { code }, remoteAddress: NAT })

  it('200 valid logins at once with 300 ms upstream latency: none refused, each waits its turn', async () => {
    const harness = await open()
    await armFault(harness, { endpoint: 'jscode2session', latencyMs: 300, count: 200 })
    const codes = Array.from({ length: 200 }, () => harness.mock.state.mintLoginCode({}).code)
    const responses = await Promise.all(codes.map((code) => login(harness, code)))
    const refused = responses.filter((r) => r.statusCode === 429).length
    expect(refused).toBe(0)
    expect(responses.map((r) => r.statusCode)).toEqual(Array(200).fill(200))
  }, 30_000)

  it('200 junk codes with 300 ms upstream latency still cost one bucket of upstream calls at most', async () => {
    const harness = await open()
    await armFault(harness, { endpoint: 'jscode2session', latencyMs: 300, count: 200 })
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => login(harness, `junk-${randomUUID()}-${i}`)))
    const calls = (await harness.stats()).jscode2session ?? 0
    // Real time passes here, so a token may come back during the burst (one every 10 s).
    expect(calls).toBeGreaterThanOrEqual(DEFAULTS.rateLimit.loginFailures.max)
    expect(calls).toBeLessThanOrEqual(DEFAULTS.rateLimit.loginFailures.max + 1)
    expect(responses.filter((r) => r.statusCode === 400)).toHaveLength(calls)
    expect(responses.filter((r) => r.statusCode === 429)).toHaveLength(200 - calls)
  }, 30_000)
})
