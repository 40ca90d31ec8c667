import { Redis } from 'ioredis'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { createStore } from '../../src/store/create-store.js'
import type { AuthStore } from '../../src/store/types.js'
import { type Harness, type HarnessOptions, startHarness } from '../helpers/harness.js'

const opened: Array<{ close(): Promise<void> | void }> = []
afterEach(async () => {
  for (const resource of opened.splice(0).reverse()) await resource.close()
})

async function open(options: HarnessOptions = {}): Promise<Harness> {
  const harness = await startHarness(options)
  opened.push(harness)
  return harness
}

async function store(overrides: Partial<AuthStore> = {}): Promise<AuthStore> {
  const real = await createStore('sqlite::memory:')
  opened.push(real)
  return new Proxy(real, {
    get: (target, key, receiver) => (key in overrides ? overrides[key as keyof AuthStore] : Reflect.get(target, key, receiver)),
  })
}

function redis(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 500 })
  client.on('error', () => {})
  opened.push({ close: () => client.disconnect() })
  return client
}

const probe = (harness: Harness, url: '/readyz' | '/healthz') => harness.inject({ method: 'GET', url })

describe('GET /readyz and GET /healthz', () => {
  it('ready when the store answers; /healthz is plain liveness', async () => {
    const harness = await open()
    expect((await probe(harness, '/readyz')).json()).toEqual({ ok: true })
    expect((await probe(harness, '/healthz')).json()).toEqual({ ok: true })
  })

  it('503 NOT_READY when the store fails or hangs, while /healthz stays 200', async () => {
    for (const ping of [() => Promise.reject(new Error('disk gone')), () => new Promise<void>(() => {})]) {
      const harness = await open({ store: await store({ ping }) })
      const response = await probe(harness, '/readyz')
      expect(response.statusCode).toBe(503)
      expect(response.json()).toEqual({ code: 'NOT_READY', message: 'Not ready: store unreachable' })
      expect((await probe(harness, '/healthz')).statusCode).toBe(200)
    }
  })

  it('checks Redis when one is configured', async () => {
    const up = await open({ redis: redis(inject('redisUrl')) })
    expect((await probe(up, '/readyz')).statusCode).toBe(200)
    const down = await open({ redis: redis('redis://127.0.0.1:9') })
    const response = await probe(down, '/readyz')
    expect(response.statusCode).toBe(503)
    expect(response.json().message).toBe('Not ready: redis unreachable')
  })
})
