import { setTimeout as sleep } from 'node:timers/promises'
import cors from '@fastify/cors'
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { type KeyPairs, registerAlipayGateway } from './alipay-gateway.js'
import { type MockApp, type MockContext, spendLoginCode, wechatCredentialError, wxError } from './context.js'
import { registerDouyin } from './douyin-routes.js'
import { registerQq } from './qq-routes.js'
import { type Fault, FaultQueue, MOCK_ENDPOINTS, type MockEndpoint } from './faults.js'
import { type MockVendor, MockWechatState } from './state.js'
import { registerWechatOAuth } from './wechat-oauth-routes.js'

export interface MockWechatOptions {
  /** @default 'wx0000000000mock01' (the backend's development default) */
  appId?: string
  /** @default 'mock-app-secret-not-for-production' (the backend's development default) */
  secret?: string
  /** Injectable clock for code and token expiry. @default Date.now */
  now?: () => number
  /** @default 300000 (5 minutes, as WeChat) */
  codeTtlMs?: number
  /** @default 7200 */
  tokenTtlSeconds?: number
  /** @default false */
  logger?: boolean
  /** Browser origins allowed to call the mock (the H5 demo mints codes via /dev/code). @default any localhost port */
  corsOrigins?: string[]
  /** More WeChat apps besides `appId`: other mini-programs, the official account (H5), website and mobile apps. */
  wechatApps?: MockApp[]
  /** Douyin mini-programs. @default [{ appId: 'tt0000000000mock01', secret: 'mock-douyin-secret-not-for-production' }] */
  douyinApps?: MockApp[]
  /** QQ mini-programs, served under `/qq` (QQ_API_BASE=<mock>/qq). @default [{ appId: '1100000000', secret: 'mock-qq-secret-not-for-production' }] */
  qqApps?: MockApp[]
  /**
   * Alipay apps with their public keys (PEM). @default one app `2021000000000001` whose key pair the mock
   * generates at start (its private key is in `alipay.appPrivateKey`, for tests and the demo)
   */
  alipayApps?: Array<{ appId: string; appPublicKey: string }>
  /** Alipay apps answer `user_id` (apps created before 2023) instead of `open_id`. @default 'open_id' */
  alipaySubject?: 'open_id' | 'user_id'
  /** `mock-<name>` codes (and authorize-page users) of one name share one unionid across a vendor's apps. @default false */
  sharedUnionid?: boolean
  /** The user the WeChat authorize page picks when the request names none (no `mock_user`, no cookie); else it shows a picker. */
  oauthDefaultUser?: string
}

const WECHAT_ENDPOINTS: ReadonlySet<MockEndpoint> = new Set([
  'jscode2session',
  'token',
  'stable_token',
  'getuserphonenumber',
  'oauth2_access_token',
])

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/

export interface MockWechat {
  /** The HTTP app: `listen()` it, or `inject()` into it. */
  app: FastifyInstance
  /** Codes, tokens, call counts and every session_key handed out, for assertions. */
  state: MockWechatState
  faults: FaultQueue
  /** The Alipay gateway's keys (PEM): its public key for the backend, the default dev app's private key. */
  alipay: KeyPairs
}

export const MOCK_DOUYIN_APP: MockApp = { appId: 'tt0000000000mock01', secret: 'mock-douyin-secret-not-for-production' }
export const MOCK_QQ_APP: MockApp = { appId: '1100000000', secret: 'mock-qq-secret-not-for-production' }

export function buildMockWechat(options: MockWechatOptions = {}): MockWechat {
  const {
    appId = 'wx0000000000mock01',
    secret = 'mock-app-secret-not-for-production',
    now = Date.now,
    codeTtlMs = 5 * 60_000,
    tokenTtlSeconds = 7200,
  } = options
  const state = new MockWechatState(now, codeTtlMs, tokenTtlSeconds, options.sharedUnionid ?? false)
  const wechatApps = new Map([[appId, secret], ...(options.wechatApps ?? []).map((app) => [app.appId, app.secret] as const)])
  const faults = new FaultQueue()
  const pendingHangs = new Set<() => void>()

  // Closing must not wait for hung requests: they exist precisely to never answer.
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true })
  void app.register(cors, { origin: options.corsOrigins ?? LOCAL_ORIGIN, methods: ['GET', 'POST', 'DELETE'] })
  app.addHook('onClose', async () => {
    for (const release of pendingHangs) release()
  })

  function hangUntilClientGivesUp(reply: FastifyReply): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        pendingHangs.delete(release)
        resolve()
      }
      pendingHangs.add(release)
      reply.raw.once('close', release)
    })
  }

  /** Counts the call and plays an armed fault; see MockContext.playFault. */
  async function playFault(endpoint: MockEndpoint, reply: FastifyReply): Promise<Fault | boolean> {
    state.calls[endpoint] += 1
    const fault = faults.take(endpoint)
    if (!fault) return false
    if (fault.latencyMs) await sleep(fault.latencyMs)
    if (fault.hang) {
      await hangUntilClientGivesUp(reply)
      await reply.status(503).send()
      return true
    }
    if (fault.status) {
      await reply.status(fault.status).type('text/html').send('<html>upstream error</html>')
      return true
    }
    if (fault.errcode !== undefined && WECHAT_ENDPOINTS.has(endpoint)) {
      await reply.send(wxError(fault.errcode, `mock fault ${fault.errcode}`))
      return true
    }
    // Other vendors' errors have their own shapes: the route answers them.
    return WECHAT_ENDPOINTS.has(endpoint) ? false : fault
  }

  const context: MockContext = { state, now, codeTtlMs, wechatApps, playFault }
  const credentialError = (givenAppId: unknown, givenSecret: unknown) => wechatCredentialError(context, givenAppId, givenSecret)

  app.get<{ Querystring: Record<string, string | undefined> }>('/sns/jscode2session', async (request, reply) => {
    if (await playFault('jscode2session', reply)) return reply
    const { appid, secret, js_code: code, grant_type: grantType } = request.query
    const spent = spendLoginCode(context, 'weixin', context.wechatApps, { appid, secret, code, grantType })
    if ('error' in spent) return spent.error
    const { identity } = spent
    return {
      openid: identity.subject,
      session_key: state.newSessionKey(),
      ...(identity.unionid ? { unionid: identity.unionid } : {}),
    }
  })

  app.get<{ Querystring: Record<string, string | undefined> }>('/cgi-bin/token', async (request, reply) => {
    if (await playFault('token', reply)) return reply
    const { appid, secret: givenSecret, grant_type: grantType } = request.query
    const bad = credentialError(appid, givenSecret)
    if (bad) return bad
    if (grantType !== 'client_credential') return wxError(40002, 'invalid grant_type')
    return state.issueAccessToken(appid ?? '')
  })

  app.post<{ Body: Record<string, unknown> | null }>('/cgi-bin/stable_token', async (request, reply) => {
    if (await playFault('stable_token', reply)) return reply
    const body = request.body ?? {}
    const bad = credentialError(body.appid, body.secret)
    if (bad) return bad
    if (body.grant_type !== 'client_credential') return wxError(40002, 'invalid grant_type')
    return state.stableAccessToken(String(body.appid), body.force_refresh === true)
  })

  app.post<{ Querystring: { access_token?: string }; Body: { code?: unknown } | null }>(
    '/wxa/business/getuserphonenumber',
    async (request, reply) => {
      if (await playFault('getuserphonenumber', reply)) return reply
      const tokenApp = request.query.access_token ? state.accessTokenApp(request.query.access_token) : undefined
      if (tokenApp === undefined) return wxError(40001, 'invalid credential, access_token is invalid or not latest')
      const code = request.body?.code
      const entry = typeof code === 'string' ? state.findPhoneCode(code) : undefined
      // A code issued inside one mini-program is unknown to every other app's access_token.
      if (!entry || entry.expiresAt <= now() || (entry.appId !== undefined && entry.appId !== tokenApp)) {
        return wxError(40029, 'invalid code')
      }
      if (entry.used) return wxError(40163, 'code been used')
      entry.used = true
      return {
        errcode: 0,
        errmsg: 'ok',
        phone_info: {
          phoneNumber: entry.phone,
          purePhoneNumber: entry.phone,
          countryCode: '86',
          watermark: { timestamp: Math.floor(now() / 1000), appid: tokenApp },
        },
      }
    },
  )

  registerWechatOAuth(app, context, { defaultUser: options.oauthDefaultUser })
  const alipay = registerAlipayGateway(app, context, { apps: options.alipayApps, subject: options.alipaySubject ?? 'open_id' })
  registerDouyin(app, context, options.douyinApps ?? [MOCK_DOUYIN_APP])
  registerQq(app, context, options.qqApps ?? [MOCK_QQ_APP])

  // ---- test and demo helpers: not part of any vendor's API ----

  app.post<{ Body: { openid?: string; unionid?: string; vendor?: MockVendor; appId?: string } | null }>(
    '/dev/code',
    async (request, reply) => {
      const body = request.body ?? {}
      if (body.vendor !== undefined && !['weixin', 'alipay', 'toutiao', 'qq'].includes(body.vendor)) {
        return reply.status(400).send({ error: 'vendor must be weixin, alipay, toutiao or qq' })
      }
      return { ...state.mintLoginCode(body), expiresIn: Math.floor(codeTtlMs / 1000) }
    },
  )

  app.post<{ Body: { phone?: string; appId?: string } | null }>('/dev/phone-code', async (request) => {
    return { code: state.mintPhoneCode(request.body?.phone, request.body?.appId), expiresIn: Math.floor(codeTtlMs / 1000) }
  })

  app.post<{ Body: Fault | Fault[] | null }>('/__faults', async (request, reply) => {
    const list = Array.isArray(request.body) ? request.body : request.body ? [request.body] : []
    for (const fault of list) {
      if (fault.endpoint !== undefined && !MOCK_ENDPOINTS.includes(fault.endpoint)) {
        return reply.status(400).send({ error: `unknown endpoint ${String(fault.endpoint)}` })
      }
      faults.arm(fault)
    }
    return reply.status(204).send()
  })

  app.delete('/__faults', async (_request, reply) => {
    faults.clear()
    return reply.status(204).send()
  })

  app.get('/__stats', async () => ({ calls: { ...state.calls } }))

  app.post('/__reset', async (_request, reply) => {
    faults.clear()
    state.resetStats()
    return reply.status(204).send()
  })

  return { app, state, faults, alipay }
}
