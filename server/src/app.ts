import cors from '@fastify/cors'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Redis } from 'ioredis'
import { type Clock, systemClock } from './clock.js'
import type { AppConfig } from './config.js'
import { clientErrorHandler } from './http/client-error.js'
import { drainUnreadBody } from './http/drain-body.js'
import { errorHandler, installErrorHandlers } from './http/error-handler.js'
import { requireHostHeader } from './http/host-header.js'
import { REDACTED_LOG_PATHS } from './http/log-redaction.js'
import { uniMpAuth } from './plugin.js'
import { createRedisClient } from './redis.js'
import { registerHealthRoutes } from './routes/health-routes.js'
import { createStore } from './store/create-store.js'
import type { AuthStore } from './store/types.js'

export interface BuildAppOptions {
  /** Use this store instead of opening `config.storeUrl`; the caller then owns closing it. */
  store?: AuthStore
  /** Use this Redis client instead of connecting to `config.redisUrl`; the caller then owns closing it. */
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

function corsOrigin(config: AppConfig): string[] | RegExp | false {
  if (config.corsOrigins) return config.corsOrigins
  // Outside production the H5 demo runs on another localhost port; production must list origins.
  return config.production ? false : LOCAL_ORIGIN
}

function createFastify(config: AppConfig, options: BuildAppOptions): FastifyInstance {
  const { timeouts } = config
  return Fastify({
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // Node checks requestTimeout and headersTimeout only every connectionsCheckingInterval (30 s
    // by default), and cuts a slow body only when headersTimeout <= requestTimeout (config checks it).
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
export async function buildApp(config: AppConfig, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const now = options.now ?? systemClock
  const app = createFastify(config, options)
  await options.configure?.(app)

  const store =
    options.store ??
    (await createStore(config.storeUrl, {
      now,
      userCacheTtlMs: config.userCacheTtlMs,
      // An idle pooled PostgreSQL connection broke (e.g. a restart): the pool replaces it by itself.
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
  app.addHook('onRequest', requireHostHeader)
  app.addHook('onSend', drainUnreadBody(config.drainLimitBytes))
  await app.register(cors, {
    origin: corsOrigin(config),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization'],
    // Browsers hide response headers from scripts unless listed: the client needs Retry-After on a 429.
    exposedHeaders: ['Retry-After'],
    maxAge: 600,
  })

  await app.register(uniMpAuth, {
    wx: config.wx,
    providers: config.providers,
    jwt: config.jwt,
    refreshTtlSeconds: config.refreshTtlSeconds,
    rateLimit: config.rateLimit,
    drainLimitBytes: config.drainLimitBytes,
    devEndpoints: config.devEndpoints && !config.production,
    store,
    redis,
    now,
  })
  registerHealthRoutes(app)
  return app
}
