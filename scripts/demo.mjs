#!/usr/bin/env node
// `npm run demo`: builds the H5 and mp-weixin demo apps against a local backend, starts the mock
// WeChat API and the reference backend, serves the H5 build, and keeps everything running until
// Ctrl-C. Plain Node (no shell), so it behaves the same on Linux, macOS and Windows.
//
// Ports: DEMO_API_PORT (3000), DEMO_MOCK_PORT (3001), DEMO_WEB_PORT (5173); the builds get the
// matching VITE_API_BASE / VITE_WECHAT_MOCK, so changing a port rebuilds a consistent app.
// DEMO_H5_OAUTH=1: the H5 page logs in as H5 inside WeChat does, through the mock's OAuth authorize
// page (a picker of mock users), with one unionid per mock user across the mini-program and H5.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer as createNetServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { startDevBuild } from './dev-build.mjs'
import { serveStatic } from './static-server.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SERVER_DIR = join(ROOT, 'server')
const H5_DIR = join(ROOT, 'dist', 'build', 'h5')
const MP_DIR = join(ROOT, 'dist', 'build', 'mp-weixin')
const HOST = '127.0.0.1'
const READY_TIMEOUT_MS = 30_000
/** The mock official account (h5-weixin) of DEMO_H5_OAUTH=1: the H5 build, the mock and the backend all get it. */
const H5_OAUTH =
  process.env.DEMO_H5_OAUTH === '1' ? { appId: 'wx0000000000mockh5', secret: 'mock-h5-secret-not-for-production' } : undefined
const STOP_TIMEOUT_MS = 5_000

function portFrom(name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${name} must be a port number (1-65535), got "${raw}"`)
  return port
}

function fail(message) {
  console.error(`\n[demo] ${message}`)
  process.exit(1)
}

const ports = {
  api: portFrom('DEMO_API_PORT', 3000),
  mock: portFrom('DEMO_MOCK_PORT', 3001),
  web: portFrom('DEMO_WEB_PORT', 5173),
}
const urls = {
  api: `http://${HOST}:${ports.api}`,
  mock: `http://${HOST}:${ports.mock}`,
  web: `http://${HOST}:${ports.web}`,
}

/** Children that are running, for shutdown. */
const children = new Set()
/** The watch builds' stop functions. */
const builds = []
let stopping = false
let webServer

// ---------------------------------------------------------------------------------------------
// Child processes

/** Prefixes each line of a child's output; compacts the backend's pino JSON into one line per request. */
function pipeLines(stream, label, target, format = (line) => line) {
  let buffered = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk) => {
    buffered += chunk
    for (let newline = buffered.indexOf('\n'); newline !== -1; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline).replace(/\r$/, '')
      buffered = buffered.slice(newline + 1)
      const text = format(line)
      if (text) target.write(`[${label}] ${text}\n`)
    }
  })
  stream.on('end', () => {
    const text = buffered && format(buffered)
    if (text) target.write(`[${label}] ${text}\n`)
  })
}

const PINO_LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

function pinoFormatter() {
  const pending = new Map()
  return (line) => {
    let entry
    try {
      entry = JSON.parse(line)
    } catch {
      return line
    }
    if (entry === null || typeof entry !== 'object') return line
    if (entry.msg === 'incoming request' && entry.req) {
      pending.set(entry.reqId, `${entry.req.method} ${entry.req.url}`)
      return ''
    }
    if (entry.msg === 'request completed' && entry.res) {
      const request = pending.get(entry.reqId) ?? '?'
      pending.delete(entry.reqId)
      return `${entry.res.statusCode} ${request} ${Math.round(entry.responseTime ?? 0)}ms`
    }
    const extra = entry.code ? ` (${entry.code})` : ''
    return `${PINO_LEVELS[entry.level] ?? entry.level}: ${entry.msg}${extra}`
  }
}

/**
 * Starts a long-running child. If it exits while we are not stopping, that is fatal: say why and
 * shut the rest down with a non-zero exit code.
 */
function startChild(label, args, { format = (line) => line, ...spawnOptions }) {
  const child = spawn(process.execPath, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  const tail = []
  const remember = (line) => {
    tail.push(line)
    if (tail.length > 20) tail.shift()
    return line
  }
  pipeLines(child.stdout, label, process.stdout, (line) => format(remember(line)))
  pipeLines(child.stderr, label, process.stderr, remember)
  const reportUnexpectedExit = (code, signal) => {
    if (stopping) return
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`
    console.error(`\n[demo] ${label} ${how} unexpectedly.`)
    if (tail.length > 0) console.error(`[demo] last output of ${label}:\n  ${tail.join('\n  ')}`)
    void shutdown(1)
  }
  child.on('exit', (code, signal) => {
    children.delete(child)
    // On Ctrl-C the terminal signals the children too; let our own SIGINT handler run first.
    setTimeout(() => reportUnexpectedExit(code, signal), 100)
  })
  child.on('error', (error) => {
    if (stopping) return
    console.error(`\n[demo] could not start ${label}: ${error.message}`)
    void shutdown(1)
  })
  return child
}

/** A development build that keeps watching (edits rebuild it), stopped with everything else. */
async function build(platform, outputDir, env) {
  const label = platform ?? 'h5'
  const watch = startDevBuild({
    platform,
    cwd: ROOT,
    env: { ...env, UNI_OUTPUT_DIR: outputDir },
    waitFor: join(outputDir, platform ? 'app.json' : 'index.html'),
    // Rebuilds after an edit, and their errors, show up with the rest of the demo's output.
    onOutput: (text) => {
      for (const line of text.split('\n')) if (line.trim()) process.stdout.write(`[${label} build] ${line}\n`)
    },
  })
  builds.push(watch.stop)
  await watch.ready
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  child.kill('SIGTERM')
  const timer = setTimeout(() => {
    console.error(`[demo] pid ${child.pid} did not stop within ${STOP_TIMEOUT_MS} ms, killing it`)
    child.kill('SIGKILL')
  }, STOP_TIMEOUT_MS)
  return new Promise((resolveStop) => {
    child.once('exit', () => {
      clearTimeout(timer)
      resolveStop()
    })
  })
}

async function shutdown(exitCode) {
  if (stopping) return
  stopping = true
  await Promise.all([...children].map(stopChild), ...builds.map((stop) => stop()))
  if (webServer)
    await new Promise((resolveClose) => {
      webServer.close(() => resolveClose())
      webServer.closeAllConnections()
    })
  console.log(exitCode === 0 ? '[demo] stopped.' : '[demo] stopped after an error.')
  process.exit(exitCode)
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopping) return
    console.log(`\n[demo] ${signal}: stopping…`)
    void shutdown(0)
  })
}

// ---------------------------------------------------------------------------------------------
// Readiness

function assertPortFree(port, envName) {
  return new Promise((resolveFree) => {
    const probe = createNetServer()
    probe.once('error', (error) => {
      fail(
        error.code === 'EADDRINUSE'
          ? `port ${port} on ${HOST} is already in use: stop what runs there, or set ${envName} to another port`
          : `cannot listen on ${HOST}:${port}: ${error.message}`,
      )
    })
    probe.listen(port, HOST, () => probe.close(() => resolveFree()))
  })
}

async function waitFor(label, url, child) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let lastError = 'no answer'
  while (Date.now() < deadline) {
    if (stopping) return
    if (child && child.exitCode !== null) return // its exit handler reports and shuts down
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
      if (response.ok) return
      lastError = `HTTP ${response.status}`
    } catch (error) {
      lastError = error.cause?.code ?? error.message
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  console.error(`\n[demo] ${label} did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s (${lastError})`)
  await shutdown(1)
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  await assertPortFree(ports.api, 'DEMO_API_PORT')
  await assertPortFree(ports.mock, 'DEMO_MOCK_PORT')
  await assertPortFree(ports.web, 'DEMO_WEB_PORT')
  if (new Set(Object.values(ports)).size !== 3) fail(`the three ports must differ: ${JSON.stringify(ports)}`)

  // Development builds that keep watching (so the page's timeline sees every request: request
  // events exist in development builds only), wired to the local backend and mock (baked in).
  const buildEnv = { ...process.env, VITE_API_BASE: urls.api, VITE_WECHAT_MOCK: urls.mock }
  const oauthNote = H5_OAUTH ? `, WeChat OAuth as ${H5_OAUTH.appId}` : ''
  console.log(`[demo] building H5 (API ${urls.api}, mock WeChat ${urls.mock}${oauthNote})…`)
  // Only with DEMO_H5_OAUTH=1: an AppID the mock and the backend do not know would only fail to log in.
  await build(undefined, H5_DIR, { ...buildEnv, VITE_WECHAT_OAUTH_APPID: H5_OAUTH?.appId ?? '' })
  if (stopping) return
  console.log('[demo] building mp-weixin…')
  await build('mp-weixin', MP_DIR, buildEnv)
  if (stopping) return

  // The backend and the mock run their TypeScript through tsx's loader in one process each, so a
  // signal reaches the server itself, not a wrapper.
  const tsx = pathToFileURL(createRequire(join(SERVER_DIR, 'package.json')).resolve('tsx')).href
  // Development secrets on both sides: empty values fall back to the matching dev defaults, even
  // when the shell exports real WeChat credentials.
  const devSecrets = { WX_APPID: '', WX_SECRET: '', JWT_SECRET: '', JWT_SECRET_FILE: '' }
  const officialAccount = H5_OAUTH ? { WX_H5_APPID: H5_OAUTH.appId, WX_H5_SECRET: H5_OAUTH.secret, MOCK_SHARED_UNIONID: '1' } : {}
  const webOrigins = `${urls.web},http://localhost:${ports.web}`
  const childEnv = { ...process.env, ...devSecrets, ...officialAccount, NODE_ENV: 'development', HOST }

  const mock = startChild('mock-wechat', ['--import', tsx, 'mock-wechat/main.ts'], {
    cwd: SERVER_DIR,
    env: { ...childEnv, MOCK_WECHAT_PORT: String(ports.mock), PORT: String(ports.mock), CORS_ORIGIN: webOrigins },
  })
  await waitFor('mock WeChat API', `${urls.mock}/__stats`, mock)
  if (stopping) return

  const backend = startChild('backend', ['--import', tsx, 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: {
      ...childEnv,
      PORT: String(ports.api),
      WX_API_BASE: urls.mock,
      STORE_URL: 'sqlite:./data/auth.db',
      AUTH_DEV_ENDPOINTS: '1',
      CORS_ORIGIN: webOrigins,
      LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    },
    format: pinoFormatter(),
  })
  await waitFor('backend', `${urls.api}/healthz`, backend)
  if (stopping) return

  webServer = serveStatic(H5_DIR)
  await new Promise((resolveListen, rejectListen) => {
    webServer.once('error', rejectListen)
    webServer.listen(ports.web, HOST, () => resolveListen())
  })
  await waitFor('H5 static server', `${urls.web}/`)
  if (stopping) return

  console.log(`
[demo] ready.
  H5 demo page     ${urls.web}/${H5_OAUTH ? `  (logs in through the mock WeChat OAuth page, official account ${H5_OAUTH.appId})` : ''}
  backend          ${urls.api}   (GET /healthz, SQLite in server/data/auth.db, dev endpoints on)
  mock WeChat API  ${urls.mock}   (GET /__stats)
  mini-program     import ${MP_DIR} into WeChat DevTools;
                   it talks to ${urls.api}, enable "do not verify domain names"
                   (不校验合法域名) in the project's local settings.
  Ctrl-C stops everything.
`)
}

main().catch((error) => {
  if (stopping) return
  console.error(`\n[demo] ${error.message}`)
  void shutdown(1)
})
