/**
 * B5 child process: the mock WeChat API (`mock`) or the reference backend (`backend <mockUrl>
 * <logLevel> <dbFile>`) listening on 127.0.0.1 at a free port. Prints `{ "url": ... }` once
 * listening and runs until SIGTERM. One process each, so the backend has a core of its own.
 */
import { createWriteStream } from 'node:fs'
import { buildMockWechat } from '../server/mock-wechat/app'
import { buildApp } from '../server/src/app'
import { loadConfig } from '../server/src/config'

const [role, mockUrl, logLevel = 'info', dbFile] = process.argv.slice(2)

async function start() {
  if (role === 'mock') {
    // Zero latency: no faults armed, no logging.
    return buildMockWechat({ logger: false }).app
  }
  if (role === 'backend') {
    const config = loadConfig({ WX_API_BASE: mockUrl, STORE_URL: `sqlite:${dbFile}`, LOG_LEVEL: logLevel })
    // Logging as `npm start` does it (pino at LOG_LEVEL), written to /dev/null instead of a terminal.
    return buildApp(config, { logStream: createWriteStream('/dev/null') })
  }
  throw new Error(`unknown role ${role}`)
}

const app = await start()
const url = await app.listen({ host: '127.0.0.1', port: 0 })
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)))
console.log(JSON.stringify({ url }))
