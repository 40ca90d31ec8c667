import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, ensureChromium } from '../e2e/ensure-chromium'
import { timelineAppFiles, writeScratchApp } from './scratch-app'
import { packInTurn } from './pack-in-turn'

/**
 * The packed package under the H5 dev server (`uni`, i.e. Vite serving modules one by one): Vite
 * pre-bundles `uni-mp-auth` and `uni-mp-auth/timeline` but serves the shipped `AuthTimeline.vue`
 * and its raw imports as they are, so a second copy of the library's modules loads next to the
 * pre-bundled one. Production builds bundle everything once; only the dev server splits it.
 */
const root = join(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'uni-mp-auth-dev-'))
const HOST = '127.0.0.1'
const TOKEN = 'dev-token-1'

let api: Server
let dev: ChildProcess | undefined
let browser: Browser | undefined
let devUrl = ''
let apiUrl = ''
const calls: string[] = []

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // The test runner's own variables would switch vite.config.ts into its vitest mode.
  const runner = new Set(['NODE_ENV', 'TEST', 'MODE', 'PROD', 'DEV', 'SSR', 'BASE_URL'])
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !runner.has(key) && !key.startsWith('VITEST')))
  return { ...env, ...extra }
}

/** The app's backend: a login that grants one token, and /me that wants it. */
function startApi(): Promise<Server> {
  const server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*')
    res.setHeader('access-control-allow-headers', 'authorization, content-type')
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS')
    if (req.method === 'OPTIONS') return res.writeHead(204).end()
    const path = String(req.url).replace(/\?.*/, '')
    calls.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`)
    res.setHeader('content-type', 'application/json')
    // A login slow enough that the page's requests wait for it, so the timeline draws both.
    if (path === '/auth/login') return void setTimeout(() => res.end(JSON.stringify({ token: TOKEN })), 400)
    const authorized = req.headers.authorization === `Bearer ${TOKEN}`
    res.writeHead(authorized ? 200 : 401).end(JSON.stringify(authorized ? { user: { id: 'u1' } } : {}))
  })
  return new Promise((resolve) => server.listen(0, HOST, () => resolve(server)))
}

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, HOST, resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/** `uni` (the H5 dev server) on the scratch app; resolves with its URL once it listens. */
async function startDevServer(app: string): Promise<string> {
  const port = await freePort()
  // Run from the app's folder, as `npm run dev:h5` in a user's project: Vite serves from its cwd.
  const cli = join(root, 'node_modules/@dcloudio/vite-plugin-uni/bin/uni.js')
  dev = spawn(process.execPath, [cli, '--host', HOST, '--port', String(port), '--strictPort'], {
    cwd: app,
    env: cleanEnv({ UNI_INPUT_DIR: app }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the CLI's colour codes.
      output += chunk.toString().replace(/\u001b\[[0-9;]*m/g, '')
      if (output.includes(`http://${HOST}:${port}`)) resolve()
    }
    dev!.stdout!.on('data', onData)
    dev!.stderr!.on('data', onData)
    dev!.once('exit', (code) => reject(new Error(`the dev server exited (${code}) before listening:\n${output}`)))
  })
  return `http://${HOST}:${port}/`
}

beforeAll(async () => {
  const packed = await packInTurn(() =>
    spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', env: cleanEnv({}) }),
  )
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`)
  const { filename } = (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!
  api = await startApi()
  const { port } = api.address() as AddressInfo
  apiUrl = `http://${HOST}:${port}`
  const app = join(work, 'app')
  const pluginDir = writeScratchApp(app, join(root, 'node_modules'), timelineAppFiles(apiUrl))
  mkdirSync(pluginDir, { recursive: true })
  const untar = spawnSync('tar', ['-xzf', join(work, filename), '-C', pluginDir, '--strip-components=1'])
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`)
  devUrl = await startDevServer(app)
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await browser?.close()
  if (dev && dev.exitCode === null) {
    dev.kill('SIGTERM')
    await once(dev, 'exit')
  }
  await new Promise((resolve) => (api ? api.close(resolve) : resolve(undefined)))
  rmSync(work, { recursive: true, force: true })
})

describe('the packed package under the H5 dev server', () => {
  it('<AuthTimeline> shares the one installed plugin: no console error, the login and the requests on the timeline', async () => {
    const page = await browser!.newPage()
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().startsWith(apiUrl)) errors.push(`${response.status()} ${response.url()}`)
    })
    // The first visit makes Vite optimize the dependencies, and may reload the page once.
    await page.goto(devUrl)
    try {
      await page.waitForFunction(() => document.querySelector('#answers')?.textContent === '200,200,200', null, { timeout: 60_000 })
      await page.waitForFunction(
        () =>
          document.querySelectorAll('.timeline-login[data-outcome="logged-in"]').length === 1 &&
          document.querySelectorAll('.timeline-request').length === 3,
        null,
        { timeout: 10_000 },
      )
    } catch (error) {
      // Say what the page shows: a second library copy fails long before the timeout.
      const body = await page.evaluate(() => document.body.textContent).catch(() => '(no page)')
      throw new Error(
        `${(error as Error).message}\nconsole errors: ${errors.join('\n') || 'none'}\npage: ${body}\nbackend: ${calls.join(', ')}`,
      )
    }

    const logins = await page.$$eval('.timeline-login', (rows) =>
      rows.map((row) => `${row.getAttribute('data-reason')} ${row.getAttribute('data-outcome')}`),
    )
    const requests = await page.$$eval('.timeline-request', (rows) => rows.map((row) => row.getAttribute('data-url')))
    const waits = await page.$$eval('.timeline-request', (rows) => rows.map((row) => row.getAttribute('data-waited-on')))
    const loginId = await page.$eval('.timeline-login', (row) => row.getAttribute('data-login'))
    expect(logins).toEqual(['cold-start logged-in'])
    expect(waits).toEqual([loginId, loginId, loginId])
    expect(requests.map((url) => String(url).replace(/^.*\/me/, '/me')).sort()).toEqual(['/me?via=a', '/me?via=b', '/me?via=c'])
    expect(await page.textContent('#status')).toBe('authenticated')
    expect(errors).toEqual([])
    expect(calls.filter((call) => call.startsWith('POST /auth/login'))).toHaveLength(1)
    await page.close()
  })
})
