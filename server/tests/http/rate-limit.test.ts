import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import type { LightMyRequestResponse } from 'fastify'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { SERVER_DEFAULTS } from '../../src/base/defaults.js'
import { expectNoSecretsLeaked, type Harness, type HarnessOptions, startHarness } from '../helpers/harness.js'

const NAT = '100.64.0.1'
const ELSEWHERE = '198.51.100.7'

const opened: Harness[] = []
const clients: Redis[] = []
afterEach(async () => {
  for (const harness of opened.splice(0)) {
    expectNoSecretsLeaked(harness)
    await harness.close()
  }
  for (const client of clients.splice(0)) client.disconnect()
})

async function open(options: HarnessOptions = {}): Promise<Harness> {
  const harness = await startHarness(options)
  opened.push(harness)
  return harness
}

function sharedRedis(prefix: string): Redis {
  const client = new Redis(inject('redisUrl'), { keyPrefix: prefix })
  clients.push(client)
  return client
}

function login(harness: Harness, code: string, remoteAddress = NAT) {
  return harness.inject({ method: 'POST', url: '/auth/login', payload: { code }, remoteAddress })
}

const junk = (i: number) => `junk-${randomUUID()}-${i}`
const upstreamCalls = async (harness: Harness) => (await harness.stats()).jscode2session ?? 0

function expectRateLimited(response: LightMyRequestResponse, maxRetryAfter: number) {
  expect(response.statusCode).toBe(429)
  expect(response.json()).toEqual({ code: 'RATE_LIMITED', message: expect.any(String) })
  const retryAfter = Number(response.headers['retry-after'])
  expect(Number.isInteger(retryAfter)).toBe(true)
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter)
}

describe('login rate limits: junk codes cannot burn the code2Session quota', () => {
  const { loginFailures } = SERVER_DEFAULTS.rateLimit
  // One token of the bucket comes back every this many seconds: the longest an address waits.
  const refillSeconds = loginFailures.windowSeconds / loginFailures.max
  // Bursts run with the production WeChat timeout, not the harness's 400 ms: on a loaded machine a
  // 400 ms limit turns slow upstream answers into 502s.
  const PRODUCTION_WX_TIMEOUT = { WX_TIMEOUT_MS: String(SERVER_DEFAULTS.wx.timeoutMs) }

  it('200 junk codes in a burst from one address cost one bucket of upstream calls', async () => {
    let now = Date.now()
    const harness = await open({ env: PRODUCTION_WX_TIMEOUT, now: () => now })
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => login(harness, junk(i))))
    const calls = await upstreamCalls(harness)
    // Tokens are taken before the call, so calls in flight count too: exactly the bucket (the
    // clock stands still, so nothing refills during the burst).
    expect(calls).toBe(loginFailures.max)
    const statuses = responses.map((r) => r.statusCode)
    expect(statuses.filter((s) => s === 400)).toHaveLength(calls)
    const limited = responses.filter((r) => r.statusCode === 429)
    expect(limited).toHaveLength(200 - calls)
    for (const response of limited) expectRateLimited(response, refillSeconds)

    // The drained address waits for its next token, valid codes included; other addresses do not.
    expectRateLimited(await login(harness, harness.mock.state.mintLoginCode({}).code), refillSeconds)
    expect((await login(harness, harness.mock.state.mintLoginCode({}).code, ELSEWHERE)).statusCode).toBe(200)
    expect(await upstreamCalls(harness)).toBe(calls + 1)
    // One refill later the address logs in again.
    now += refillSeconds * 1000
    expect((await login(harness, harness.mock.state.mintLoginCode({}).code)).statusCode).toBe(200)
  })

  it('200 valid logins at once from one carrier NAT address all succeed', async () => {
    const harness = await open({ env: PRODUCTION_WX_TIMEOUT })
    const codes = Array.from({ length: 200 }, () => harness.mock.state.mintLoginCode({}).code)
    const responses = await Promise.all(codes.map((code) => login(harness, code)))
    expect(responses.map((r) => r.statusCode)).toEqual(Array(200).fill(200))
    expect(await upstreamCalls(harness)).toBe(200)
  })

  it('counts only codes WeChat rejects: successful logins and replays leave the budget whole', async () => {
    const harness = await open({ env: { RATE_LIMIT_LOGIN_FAILURES: '3' } })
    for (let i = 0; i < 30; i += 1) expect((await login(harness, harness.mock.state.mintLoginCode({}).code)).statusCode).toBe(200)
    const used = harness.mock.state.mintLoginCode({}).code
    await login(harness, used)
    // A replay is refused by our own code guard, without an upstream call, and not counted.
    for (let i = 0; i < 5; i += 1) expect((await login(harness, used)).json().code).toBe('WX_CODE_USED')
    const before = await upstreamCalls(harness)
    for (let i = 0; i < 3; i += 1) expect((await login(harness, junk(i))).json().code).toBe('WX_CODE_INVALID')
    expectRateLimited(await login(harness, junk(3)), loginFailures.windowSeconds / 3)
    expect(await upstreamCalls(harness)).toBe(before + 3)
  })

  it('WeChat outages are not counted against the client', async () => {
    const harness = await open({ env: { RATE_LIMIT_LOGIN_FAILURES: '2' } })
    await fetch(`${harness.mockUrl}/__faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'jscode2session', errcode: -1, count: 5 }),
    })
    for (let i = 0; i < 5; i += 1) expect((await login(harness, harness.mock.state.mintLoginCode({}).code)).json().code).toBe('WX_BUSY')
    expect((await login(harness, harness.mock.state.mintLoginCode({}).code)).statusCode).toBe(200)
  })

  it('with Redis, an address that used up its budget on one instance is refused by the others', async () => {
    const prefix = `test:rl:${randomUUID()}:`
    const env = { RATE_LIMIT_LOGIN_FAILURES: '3' }
    const a = await open({ env, redis: sharedRedis(prefix) })
    const b = await open({ env, redis: sharedRedis(prefix) })
    for (let i = 0; i < 3; i += 1) expect((await login(a, junk(i))).statusCode).toBe(400)
    expectRateLimited(await login(b, junk(9)), loginFailures.windowSeconds / 3)
    expect(await upstreamCalls(b)).toBe(0)
    // Another address still gets through on either instance.
    expect((await login(b, b.mock.state.mintLoginCode({}).code, ELSEWHERE)).statusCode).toBe(200)
  })

  it('an unreachable Redis leaves logins working (the counters are data that may be lost)', async () => {
    const down = new Redis('redis://127.0.0.1:9', { maxRetriesPerRequest: 1, connectTimeout: 500, lazyConnect: false })
    down.on('error', () => {})
    clients.push(down)
    const harness = await open({ redis: down })
    expect((await login(harness, harness.mock.state.mintLoginCode({}).code)).statusCode).toBe(200)
    expect((await login(harness, junk(1))).json().code).toBe('WX_CODE_INVALID')
  })
})

describe('refresh and phone binding rate limits', () => {
  it('refresh: per address and window, answered before the body is read', async () => {
    const harness = await open({ env: { RATE_LIMIT_REFRESH: '3' } })
    const refresh = (remoteAddress: string) =>
      harness.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: 'nope' }, remoteAddress })
    for (let i = 0; i < 3; i += 1) expect((await refresh(NAT)).statusCode).toBe(401)
    const limited = await refresh(NAT)
    expectRateLimited(limited, SERVER_DEFAULTS.rateLimit.refresh.windowSeconds)
    expect(limited.headers['x-ratelimit-limit']).toBe('3')
    expect((await refresh(ELSEWHERE)).statusCode).toBe(401)
  })

  it('phone binding: per user, not per address', async () => {
    const harness = await open({ env: { RATE_LIMIT_PHONE: '2' } })
    const bind = (token: string) =>
      harness.inject({
        method: 'POST',
        url: '/auth/phone',
        headers: { authorization: `Bearer ${token}` },
        payload: { code: harness.mock.state.mintPhoneCode() },
        remoteAddress: NAT,
      })
    const alice = await harness.login({ openid: 'o-alice' }, NAT)
    const bob = await harness.login({ openid: 'o-bob' }, NAT)
    expect((await bind(alice.token)).statusCode).toBe(200)
    expect((await bind(alice.token)).statusCode).toBe(200)
    const calls = (await harness.stats()).getuserphonenumber
    expectRateLimited(await bind(alice.token), SERVER_DEFAULTS.rateLimit.phone.windowSeconds)
    expect((await harness.stats()).getuserphonenumber).toBe(calls)
    expect((await bind(bob.token)).statusCode).toBe(200)
  })
})
