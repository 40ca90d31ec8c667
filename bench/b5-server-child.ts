/**
 * B5 child process, listening on 127.0.0.1 at a free port; prints `{ "url": ... }` once listening
 * and runs until SIGTERM. One process each, so every server has a core of its own.
 * - `mock`: the mock WeChat API.
 * - `backend <mockUrl> <logLevel> <storeUrl> [NAME=value…]`: the reference backend; extra settings
 *   as environment variables would give them.
 * - `bare <logLevel>`: a bare fastify app with the backend's logger settings, whose `GET /me` returns
 *   the same JSON as the backend's without authentication or a store: the ceiling for `GET /me`.
 */
import { createWriteStream } from 'node:fs'
import Fastify from 'fastify'
import { buildMockWechat } from '../server/mock-wechat/app'
import { buildApp } from '../server/src/app'
import { loadConfig } from '../server/src/config/environment'
import { REDACTED_LOG_PATHS } from '../server/src/http/log-redaction'

const [role, ...args] = process.argv.slice(2)

/** What the backend's GET /me answers for a fresh user (same shape, same length). */
const ME_BODY = {
  user: { id: '6f1c2a0e-3d4b-4f5a-8b7c-9d0e1f2a3b4c', phoneBound: false, phoneMasked: null, createdAt: '2026-01-01T00:00:00.000Z' },
}

async function start() {
  if (role === 'mock') {
    // Zero latency: no faults armed, no logging.
    return buildMockWechat({ logger: false }).app
  }
  if (role === 'backend') {
    const [mockUrl, logLevel = 'info', storeUrl = 'sqlite::memory:', ...settings] = args
    const extra = Object.fromEntries(settings.map((setting) => setting.split('=', 2) as [string, string]))
    const config = loadConfig({ WX_API_BASE: mockUrl, STORE_URL: storeUrl, LOG_LEVEL: logLevel, ...extra })
    // Logging as `npm start` does it (pino at LOG_LEVEL), written to /dev/null instead of a terminal.
    return buildApp(config, { logStream: createWriteStream('/dev/null') })
  }
  if (role === 'bare') {
    const [logLevel = 'info'] = args
    const app = Fastify({
      logger: { level: logLevel, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' }, stream: createWriteStream('/dev/null') },
    })
    app.get('/me', async () => ME_BODY)
    return app
  }
  throw new Error(`unknown role ${role}`)
}

const app = await start()
const url = await app.listen({ host: '127.0.0.1', port: 0 })
// Closing lets the process end by itself once its handles are gone, so `node --cpu-prof` (used to
// profile B5) gets to write its profile.
process.once('SIGTERM', () => void app.close())
console.log(JSON.stringify({ url }))
