import cors from '@fastify/cors'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Redis } from 'ioredis'
import { type Clock, systemClock } from './base/clock.js'
import type { AppConfig, ResolvedServerOptions } from './config/options.js'
import { pluginSource, resolveAppConfig } from './config/resolve-options.js'
import { clientErrorHandler } from './http/client-error.js'
import { drainUnreadBody } from './http/drain-body.js'
import { errorHandler, installErrorHandlers } from './http/error-handler.js'
import { answerUnknownExpectations } from './http/expectation.js'
import { requireHostHeader } from './http/host-header.js'
import { REDACTED_LOG_PATHS } from './http/log-redaction.js'
import { uniMpAuth } from './plugin.js'
import { registerHealthRoutes } from './routes/health-routes.js'
import { createStore } from './store/create-store.js'
import { createRedisClient } from './store/redis-client.js'
import type { AuthStore } from './store/types.js'

export interface BuildAppOptions {
  /** Use this store instead of opening `server.storeUrl`; the caller then owns closing it. */
  store?: AuthStore
  /** Use this Redis client instead of connecting to `server.redisUrl`; the caller then owns closing it. */
  redis?: Redis
  now?: Clock
  /** Where log lines go (tests capture them); stdout when omitted. */
  logStream?: NodeJS.WritableStream
  /** @default true */
  logger?: boolean
  /** Runs on the fresh instance before anything is registered (e.g. @fastify/swagger, which must see every route). */
  configure?: (app: FastifyInstance) => Promise<void> | void
}

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/

function corsOrigin(config: ResolvedServerOptions): string[] | RegExp | false {
  if (config.corsOrigins) return config.corsOrigins
  // Outside production the H5 demo runs on another localhost port; production must list origins.
  return config.production ? false : LOCAL_ORIGIN
}

function createFastify(config: ResolvedServerOptions, options: BuildAppOptions): FastifyInstance {
  const { timeouts } = config
  return Fastify({
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // Node checks requestTimeout and headersTimeout only every connectionsCheckingInterval (30 s
    // by default), and cuts a slow body only when headersTimeout <= requestTimeout (resolveServerOptions checks it).
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.connectionMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
      // Checked in an onRequest hook instead, to answer in the usual error shape.
      requireHostHeader: false,
    },
    clientErrorHandler,
    // A malformed URL is refused by the router before any hook runs; fastify answers it itself
    // (quoting the URL) unless given this.
    frameworkErrors: errorHandler,
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
}

/** The standalone server: the uniMpAuth plugin plus the edges a whole app needs (errors, CORS, probes). */
export async function buildApp(appConfig: AppConfig, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  // Checked here too, so a configuration written in code fails as early as one from the environment.
  const { auth, server: config } = resolveAppConfig(appConfig, pluginSource('buildApp: '))
  const now = options.now ?? systemClock
  const app = createFastify(config, options)
  await options.configure?.(app)

  const store =
    options.store ??
    (await createStore(config.storeUrl, {
      now,
      userCacheTtlMs: config.userCacheTtlMs,
      // A database written by 0.2 served this mini-program: its users become its identities.
      legacyWxAppId: auth.wx.appId,
      // A pooled PostgreSQL connection broke (e.g. a restart): the pool replaces it by itself.
      onConnectionError: (error) => app.log.warn({ err: { message: error.message } }, 'database connection lost'),
    }))
  if (!options.store) app.addHook('onClose', async () => store.close())
  const redis = options.redis ?? (config.redisUrl ? createRedisClient(config.redisUrl) : null)
  if (redis) {
    // ioredis reports every failed reconnect as an 'error' event; unheard, it would print them raw.
    redis.on('error', (error: Error) => app.log.warn({ err: { message: error.message } }, 'redis unavailable'))
    if (!options.redis) {
      app.addHook('onClose', async () => {
        await redis.quit().catch(() => redis.disconnect())
      })
    }
  }

  installErrorHandlers(app)
  answerUnknownExpectations(app.server)
  app.addHook('onRequest', requireHostHeader)
  app.addHook('onSend', drainUnreadBody(auth.drainLimitBytes))
  await app.register(cors, {
    origin: corsOrigin(config),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization'],
    // Browsers hide response headers from scripts unless listed: the client needs Retry-After on a 429.
    exposedHeaders: ['Retry-After'],
    maxAge: 600,
  })

  await app.register(uniMpAuth, { ...auth, store, redis, now })
  registerHealthRoutes(app)
  return app
}
