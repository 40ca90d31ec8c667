import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildMockWechat, type MockWechat } from '../../mock-wechat/app.js'
import { ConfigError } from '../../src/base/errors.js'
import { type UniMpAuthOptions, uniMpAuth } from '../../src/index.js'
import { createStore } from '../../src/store/create-store.js'
import type { AuthStore } from '../../src/store/types.js'
import { TEST_APPID, TEST_JWT_SECRET, TEST_SECRET } from '../helpers/harness.js'

describe('uniMpAuth mounted in a team’s own fastify app', () => {
  let mock: MockWechat
  let app: FastifyInstance
  let store: AuthStore

  beforeAll(async () => {
    store = await createStore('sqlite::memory:')
    mock = buildMockWechat({ appId: TEST_APPID, secret: TEST_SECRET })
    const apiBase = await mock.app.listen({ host: '127.0.0.1', port: 0 })
    app = Fastify()
    // The team's own error shape: the plugin's routes must keep theirs regardless.
    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) =>
      reply.status(error.statusCode ?? 500).send({ teamError: error.code ?? 'unknown' }),
    )
    await app.register(uniMpAuth, {
      prefix: '/api',
      wx: { appId: TEST_APPID, secret: TEST_SECRET, apiBase },
      jwt: { secret: TEST_JWT_SECRET },
      store,
    })
    app.get('/orders', { onRequest: app.requireUser }, async (request) => ({ owner: request.auth?.userId }))
    app.post('/echo', async (request) => ({ body: request.body }))
  })

  afterAll(async () => {
    await app.close()
    await mock.app.close()
    await store.close()
  })

  async function login() {
    const { code } = mock.state.mintLoginCode({})
    const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { code } })
    expect(response.statusCode).toBe(200)
    return response.json<{ token: string; user: { id: string } }>()
  }

  it('serves the login routes under the prefix, with their own { code, message } errors', async () => {
    const session = await login()
    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${session.token}` } })
    expect(me.json().user.id).toBe(session.user.id)
    const bad = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { code: 42 } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({ code: 'BAD_REQUEST', message: expect.any(String) })
    expect((await app.inject({ method: 'POST', url: '/auth/login', payload: { code: 'x' } })).statusCode).toBe(404)
  })

  it('guards the team’s routes with app.requireUser, errors going through the team’s handler', async () => {
    const session = await login()
    const orders = await app.inject({ method: 'GET', url: '/orders', headers: { authorization: `Bearer ${session.token}` } })
    expect(orders.json()).toEqual({ owner: session.user.id })
    const anonymous = await app.inject({ method: 'GET', url: '/orders' })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json()).toEqual({ teamError: 'AUTH_TOKEN_MISSING' })
  })

  it('leaves the team’s body parsing alone and lends its parts as app.uniMpAuth', async () => {
    const echo = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } })
    expect(echo.json()).toEqual({ body: { a: 1 } })
    expect(app.uniMpAuth.store).toBe(store)
    expect(typeof app.uniMpAuth.wechat?.code2Session).toBe('function')
    expect(await app.uniMpAuth.readiness()).toEqual({ ready: true, failing: [] })
  })
})

describe('uniMpAuth options are checked when registered', async () => {
  const store = await createStore('sqlite::memory:')
  afterAll(() => store.close())
  const valid: UniMpAuthOptions = { wx: { appId: 'wx1', secret: 's' }, jwt: { secret: TEST_JWT_SECRET }, store }

  it.each([
    [
      'no login target at all',
      { ...valid, wx: undefined },
      /^uniMpAuth: No login target is configured; set the credentials of at least one: mp-weixin: WX_APPID and WX_SECRET \(plugin option wx or providers\['mp-weixin'\]\);.* mp-alipay: ALIPAY_APPID, ALIPAY_PRIVATE_KEY and ALIPAY_PUBLIC_KEY \(plugin option providers\['mp-alipay'\]\)/,
    ],
    [
      'an AppID without its secret',
      { ...valid, wx: { appId: 'wx1' } },
      /^uniMpAuth: wx\.appId and wx\.secret go together .*set both, or neither$/,
    ],
    ['a secret without its AppID', { ...valid, wx: { secret: 's' } }, /wx\.appId and wx\.secret go together/],
    ['short jwt secret', { ...valid, jwt: { secret: 'short' } }, /jwt\.secret must be at least 32 bytes/],
    ['not a store', { ...valid, store: {} }, /store must implement AuthStore \(missing claimCode/],
    ['a store not awaited', { ...valid, store: Promise.resolve(store) }, /store is a Promise.*await createStore\(url\)/],
    ['bad limit', { ...valid, rateLimit: { refresh: { max: 0 } } }, /rateLimit\.refresh\.max must be a positive integer/],
  ])('%s', async (_name, options, message) => {
    const failure = await Fastify()
      .register(uniMpAuth, options as unknown as UniMpAuthOptions)
      .ready()
      .then(
        () => undefined,
        (error: unknown) => error,
      )
    expect(failure).toBeInstanceOf(ConfigError)
    expect((failure as Error).message).toMatch(message)
  })

  it('devEndpoints is refused in production and allowed elsewhere', async () => {
    const register = () =>
      Fastify()
        .register(uniMpAuth, { ...valid, devEndpoints: true })
        .ready()
        .then(
          () => undefined,
          (error: unknown) => error,
        )
    vi.stubEnv('NODE_ENV', 'production')
    try {
      const failure = await register()
      expect(failure).toBeInstanceOf(ConfigError)
      expect((failure as Error).message).toMatch(/devEndpoints .* refused when NODE_ENV is production/)
    } finally {
      vi.unstubAllEnvs()
    }
    expect(await register()).toBeUndefined()
  })
})
