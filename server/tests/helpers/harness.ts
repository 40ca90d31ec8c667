import { Writable } from 'node:stream'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, expect } from 'vitest'
import { buildMockWechat, type MockWechat, type MockWechatOptions } from '../../mock-wechat/app.js'
import { buildApp } from '../../src/app.js'
import type { Clock } from '../../src/base/clock.js'
import { loadConfig } from '../../src/config/environment.js'
import type { ResolvedAppConfig } from '../../src/config/options.js'
import type { AuthStore } from '../../src/store/types.js'

export const TEST_APPID = 'wx1234567890test01'
export const TEST_SECRET = 'test-app-secret-0123456789abcdef'
export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789'

export interface Harness {
  app: FastifyInstance
  mock: MockWechat
  mockUrl: string
  config: ResolvedAppConfig
  /** `app.inject` that records every response for the leak check. */
  inject(options: InjectOptions): Promise<LightMyRequestResponse>
  /** Mints a code at the mock and logs in with it. */
  login(identity?: { openid?: string; unionid?: string }, remoteAddress?: string): Promise<LoginBody>
  stats(): Promise<Record<string, number>>
  logText(): string
  responses: string[]
  close(): Promise<void>
}

export interface LoginBody {
  token: string
  expiresIn: number
  refreshToken: string
  refreshExpiresIn: number
  user: { id: string; phoneBound: boolean; phoneMasked: string | null; createdAt: string }
}

export interface HarnessOptions {
  env?: Record<string, string>
  /** More variables that depend on the started mock (e.g. its Alipay public key). */
  envFromMock?: (mock: MockWechat, mockUrl: string) => Record<string, string>
  now?: Clock
  store?: AuthStore
  redis?: Redis
  mock?: MockWechatOptions
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const mock = buildMockWechat({ appId: TEST_APPID, secret: TEST_SECRET, now: options.now, ...options.mock })
  const mockUrl = await mock.app.listen({ host: '127.0.0.1', port: 0 })
  const config = loadConfig({
    WX_APPID: TEST_APPID,
    WX_SECRET: TEST_SECRET,
    JWT_SECRET: TEST_JWT_SECRET,
    WX_API_BASE: mockUrl,
    WX_TIMEOUT_MS: '400',
    STORE_URL: 'sqlite::memory:',
    AUTH_DEV_ENDPOINTS: '1',
    LOG_LEVEL: 'debug',
    ...options.env,
    ...options.envFromMock?.(mock, mockUrl),
  })
  const logLines: string[] = []
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'))
      callback()
    },
  })
  const app = await buildApp(config, { logStream, now: options.now, store: options.store, redis: options.redis })
  const responses: string[] = []

  const inject = async (injectOptions: InjectOptions) => {
    const response = await app.inject(injectOptions)
    responses.push(JSON.stringify(response.headers) + response.body)
    return response
  }

  return {
    app,
    mock,
    mockUrl,
    config,
    inject,
    responses,
    logText: () => logLines.join(''),
    async login(identity = {}, remoteAddress = '127.0.0.1') {
      const { code } = mock.state.mintLoginCode(identity)
      const response = await inject({ method: 'POST', url: '/auth/login', payload: { code }, remoteAddress })
      expect(response.statusCode, response.body).toBe(200)
      return response.json<LoginBody>()
    },
    async stats() {
      const response = await fetch(`${mockUrl}/__stats`)
      return ((await response.json()) as { calls: Record<string, number> }).calls
    },
    async close() {
      await app.close()
      await mock.app.close()
    },
  }
}

/** Asserts no response and no log line carried a session_key or the AppSecret. */
export function expectNoSecretsLeaked(harness: Harness): void {
  const sessionKeys = [...harness.mock.state.issuedSessionKeys]
  const haystacks = [...harness.responses, harness.logText()]
  for (const text of haystacks) {
    expect(text).not.toContain(TEST_SECRET)
    expect(text).not.toContain('session_key')
    expect(text).not.toContain('sessionKey')
    for (const key of sessionKeys) expect(text).not.toContain(key)
  }
}

/**
 * One harness per test file: started before, and at the end every response and log line
 * it produced is checked for leaked secrets.
 */
export function useHarness(options: HarnessOptions = {}): () => Harness {
  let harness: Harness | undefined
  beforeAll(async () => {
    harness = await startHarness(options)
  })
  afterAll(async () => {
    if (!harness) return
    try {
      // Guards against a vacuous check: the file must actually have exercised the app.
      expect(harness.responses.length).toBeGreaterThan(0)
      expectNoSecretsLeaked(harness)
    } finally {
      await harness.close()
    }
  })
  return () => {
    if (!harness) throw new Error('harness not started')
    return harness
  }
}

export async function armFault(harness: Harness, fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${harness.mockUrl}/__faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  })
  expect(response.status).toBe(204)
}

/** Serves the harness's app on a free loopback port, for tests that speak raw HTTP; resolves the port. */
export async function listenOnLoopback(harness: Harness): Promise<number> {
  await harness.app.listen({ host: '127.0.0.1', port: 0 })
  return (harness.app.server.address() as { port: number }).port
}
