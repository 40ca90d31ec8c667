import cors from '@fastify/cors'
import Fastify, { type FastifyInstance } from 'fastify'
import { type Clock, systemClock } from './clock.js'
import type { AppConfig } from './config.js'
import { installErrorHandlers } from './http/error-handler.js'
import { installJsonBodyParser } from './http/json-body.js'
import { REDACTED_LOG_PATHS } from './http/log-redaction.js'
import { registerAuthRoutes } from './routes/auth-routes.js'
import { registerDevRoutes } from './routes/dev-routes.js'
import { registerUserRoutes } from './routes/user-routes.js'
import type { Services } from './services.js'
import { createStore } from './store/create-store.js'
import type { AuthStore } from './store/types.js'
import { AccessTokens } from './tokens/access-tokens.js'
import { AccessTokenProvider } from './wechat/access-token.js'
import { WechatClient } from './wechat/client.js'

export interface BuildAppOptions {
  /** Use this store instead of opening `config.storeUrl`; the caller then owns closing it. */
  store?: AuthStore
  now?: Clock
  /** Where log lines go (tests capture them); stdout when omitted. */
  logStream?: NodeJS.WritableStream
  /** @default true */
  logger?: boolean
}

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/

function corsOrigin(config: AppConfig): string[] | RegExp | false {
  if (config.corsOrigins) return config.corsOrigins
  // Outside production the H5 demo runs on another localhost port; production must list origins.
  return config.production ? false : LOCAL_ORIGIN
}

export async function buildApp(config: AppConfig, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const now = options.now ?? systemClock
  const app = Fastify({
    bodyLimit: config.bodyLimit,
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
            ...(options.logStream ? { stream: options.logStream } : {}),
          },
    // Without this, ajv would coerce `{"code": 123}` into "123": wrong types must be a 400.
    ajv: { customOptions: { coerceTypes: false, allErrors: false } },
  })

  const store = options.store ?? createStore(config.storeUrl, { now, refreshTtlMs: config.refreshTtlSeconds * 1000 })
  if (!options.store) app.addHook('onClose', async () => store.close())

  const wechat = new WechatClient(config.wx)
  const services: Services = {
    config,
    store,
    wechat,
    now,
    accessTokens: new AccessTokens({
      ...config.jwt,
      now,
      revocableForDev: config.devEndpoints && !config.production,
    }),
    wxAccessToken: new AccessTokenProvider({ store, now, fetchToken: (force) => wechat.fetchAccessToken(force) }),
  }

  app.decorateRequest('auth', null)
  installJsonBodyParser(app)
  installErrorHandlers(app)
  await app.register(cors, {
    origin: corsOrigin(config),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization'],
    maxAge: 600,
  })

  app.get('/healthz', async () => ({ ok: true }))
  registerAuthRoutes(app, services)
  registerUserRoutes(app, services)
  if (config.devEndpoints && !config.production) registerDevRoutes(app, services)
  return app
}
