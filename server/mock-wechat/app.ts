import { setTimeout as sleep } from 'node:timers/promises'
import cors from '@fastify/cors'
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { type Fault, FaultQueue, MOCK_ENDPOINTS, type MockEndpoint } from './faults.js'
import { MockWechatState } from './state.js'

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
}

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/

export interface MockWechat {
  /** The HTTP app: `listen()` it, or `inject()` into it. */
  app: FastifyInstance
  /** Codes, tokens, call counts and every session_key handed out, for assertions. */
  state: MockWechatState
  faults: FaultQueue
}

const wxError = (errcode: number, errmsg: string) => ({ errcode, errmsg })

export function buildMockWechat(options: MockWechatOptions = {}): MockWechat {
  const {
    appId = 'wx0000000000mock01',
    secret = 'mock-app-secret-not-for-production',
    now = Date.now,
    codeTtlMs = 5 * 60_000,
    tokenTtlSeconds = 7200,
  } = options
  const state = new MockWechatState(now, codeTtlMs, tokenTtlSeconds)
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

  /** Counts the call and plays an armed fault; resolves `true` when the fault already answered. */
  async function playFault(endpoint: MockEndpoint, reply: FastifyReply): Promise<boolean> {
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
    if (fault.errcode !== undefined) {
      await reply.send(wxError(fault.errcode, `mock fault ${fault.errcode}`))
      return true
    }
    return false
  }

  function credentialError(givenAppId: unknown, givenSecret: unknown) {
    if (givenAppId !== appId) return wxError(40013, 'invalid appid')
    if (givenSecret !== secret) return wxError(40125, 'invalid appsecret')
    return undefined
  }

  app.get<{ Querystring: Record<string, string | undefined> }>('/sns/jscode2session', async (request, reply) => {
    if (await playFault('jscode2session', reply)) return reply
    const { appid, secret: givenSecret, js_code: code, grant_type: grantType } = request.query
    const bad = credentialError(appid, givenSecret)
    if (bad) return bad
    if (grantType !== 'authorization_code') return wxError(40002, 'invalid grant_type')
    const entry = code ? state.findLoginCode(code) : undefined
    if (!entry || entry.expiresAt <= now()) return wxError(40029, 'invalid code')
    if (entry.used) return wxError(40163, 'code been used')
    entry.used = true
    return {
      openid: entry.openid,
      session_key: state.newSessionKey(),
      ...(entry.unionid ? { unionid: entry.unionid } : {}),
    }
  })

  app.get<{ Querystring: Record<string, string | undefined> }>('/cgi-bin/token', async (request, reply) => {
    if (await playFault('token', reply)) return reply
    const { appid, secret: givenSecret, grant_type: grantType } = request.query
    const bad = credentialError(appid, givenSecret)
    if (bad) return bad
    if (grantType !== 'client_credential') return wxError(40002, 'invalid grant_type')
    return state.issueAccessToken()
  })

  app.post<{ Body: Record<string, unknown> | null }>('/cgi-bin/stable_token', async (request, reply) => {
    if (await playFault('stable_token', reply)) return reply
    const body = request.body ?? {}
    const bad = credentialError(body.appid, body.secret)
    if (bad) return bad
    if (body.grant_type !== 'client_credential') return wxError(40002, 'invalid grant_type')
    return state.stableAccessToken(body.force_refresh === true)
  })

  app.post<{ Querystring: { access_token?: string }; Body: { code?: unknown } | null }>(
    '/wxa/business/getuserphonenumber',
    async (request, reply) => {
      if (await playFault('getuserphonenumber', reply)) return reply
      if (!request.query.access_token || !state.isAccessTokenValid(request.query.access_token)) {
        return wxError(40001, 'invalid credential, access_token is invalid or not latest')
      }
      const code = request.body?.code
      const entry = typeof code === 'string' ? state.findPhoneCode(code) : undefined
      if (!entry || entry.expiresAt <= now()) return wxError(40029, 'invalid code')
      if (entry.used) return wxError(40163, 'code been used')
      entry.used = true
      return {
        errcode: 0,
        errmsg: 'ok',
        phone_info: {
          phoneNumber: entry.phone,
          purePhoneNumber: entry.phone,
          countryCode: '86',
          watermark: { timestamp: Math.floor(now() / 1000), appid: appId },
        },
      }
    },
  )

  // ---- test and demo helpers: not part of WeChat's API ----

  app.post<{ Body: { openid?: string; unionid?: string } | null }>('/dev/code', async (request) => {
    const body = request.body ?? {}
    return { ...state.mintLoginCode(body), expiresIn: Math.floor(codeTtlMs / 1000) }
  })

  app.post<{ Body: { phone?: string } | null }>('/dev/phone-code', async (request) => {
    return { code: state.mintPhoneCode(request.body?.phone), expiresIn: Math.floor(codeTtlMs / 1000) }
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

  return { app, state, faults }
}
