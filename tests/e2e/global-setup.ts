import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { type BrowserServer, chromium } from 'playwright-core'
import type { TestProject } from 'vitest/node'
import { serveStatic } from '../../scripts/static-server.mjs'
import { buildMockWechat } from '../../server/mock-wechat/app'
import { buildApp } from '../../server/src/app'
import { loadConfig } from '../../server/src/config/environment'
import { CHROMIUM_ARGS, ensureChromium } from './ensure-chromium'
import { type BackendCall, type E2eEnv, MOCK_OFFICIAL_ACCOUNT } from './env'
import { ensureH5Build } from './h5-build'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** Builds of their own: `npm run demo`'s dist/build/h5 is wired to other ports and stays untouched. */
const BUILD_DIR = join(ROOT, 'dist', 'e2e', 'h5')
/** The same demo built with `VITE_WECHAT_OAUTH_APPID`: it logs in through the mock's WeChat OAuth page. */
const OAUTH_BUILD_DIR = join(ROOT, 'dist', 'e2e', 'h5-oauth')
/**
 * The backend's and the mock's ports of the previous run: the builds have their URLs baked in, so
 * listening on the same ports again (when free) lets an unchanged build be reused.
 */
const PORTS_FILE = join(ROOT, 'dist', 'e2e', 'ports.json')
const SCREENSHOT_DIR = join(ROOT, 'test-results', 'e2e')
const HOST = '127.0.0.1'

interface Ports {
  api?: number
  mock?: number
}

function origin(server: { address(): AddressInfo | string | null }): string {
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('server is not listening on TCP')
  return `http://${HOST}:${address.port}`
}

function rememberedPorts(): Ports {
  try {
    return JSON.parse(readFileSync(PORTS_FILE, 'utf8')) as Ports
  } catch {
    return {}
  }
}

/** Listens on `port` when it is free, else on any port (the builds then rebuild for the new URL). */
async function listenApp(app: FastifyInstance, port: number | undefined): Promise<string> {
  if (port) {
    try {
      return (await app.listen({ host: HOST, port })).replace('localhost', HOST)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    }
  }
  return (await app.listen({ host: HOST, port: 0 })).replace('localhost', HOST)
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, HOST, () => resolve())
  })
}

/** A static server for `dir` on a port of its own; returns its origin. */
async function serve(dir: string, cleanups: (() => Promise<unknown>)[]): Promise<string> {
  const web = serveStatic(dir)
  await listen(web)
  cleanups.push(
    () =>
      new Promise((resolve) => {
        web.closeAllConnections()
        web.close(resolve)
      }),
  )
  return origin(web)
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const executablePath = ensureChromium()
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  mkdirSync(join(ROOT, 'dist', 'e2e'), { recursive: true })
  const cleanups: (() => Promise<unknown>)[] = []
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error('[e2e] teardown:', error))
  }

  try {
    // Every server listens first (no free-port race), then the apps are built for exactly those
    // URLs when their builds are stale. The static servers serve their folders whenever they exist.
    const webUrl = await serve(BUILD_DIR, cleanups)
    const oauthWebUrl = await serve(OAUTH_BUILD_DIR, cleanups)
    const remembered = rememberedPorts()

    // sharedUnionid: a mock user has one unionid across the mini-program and the official account.
    const mock = buildMockWechat({ corsOrigins: [webUrl, oauthWebUrl], wechatApps: [MOCK_OFFICIAL_ACCOUNT], sharedUnionid: true })
    const mockUrl = await listenApp(mock.app, remembered.mock)
    cleanups.push(() => mock.app.close())

    const config = loadConfig({
      WX_API_BASE: mockUrl,
      WX_H5_APPID: MOCK_OFFICIAL_ACCOUNT.appId,
      WX_H5_SECRET: MOCK_OFFICIAL_ACCOUNT.secret,
      STORE_URL: 'sqlite::memory:',
      AUTH_DEV_ENDPOINTS: '1',
      CORS_ORIGIN: `${webUrl},${oauthWebUrl}`,
      LOG_LEVEL: 'warn',
    })
    const app = await buildApp(config, { logger: false })
    // Test-only instrumentation: what reached the backend, for assertions from the test workers.
    const calls: BackendCall[] = []
    app.addHook('onResponse', async (request, reply) => {
      if (request.url.startsWith('/__e2e/')) return
      calls.push({ method: request.method, path: request.url.split('?')[0] ?? request.url, status: reply.statusCode })
    })
    app.get('/__e2e/calls', async () => ({ calls }))
    const apiUrl = await listenApp(app, remembered.api)
    cleanups.push(() => app.close())
    writeFileSync(PORTS_FILE, JSON.stringify({ api: Number(new URL(apiUrl).port), mock: Number(new URL(mockUrl).port) }))

    // One after the other: two builds at once only fight over the CPU.
    const vars = { VITE_API_BASE: apiUrl, VITE_WECHAT_MOCK: mockUrl }
    await ensureH5Build({ root: ROOT, dir: BUILD_DIR, vars, label: 'H5 demo' })
    await ensureH5Build({
      root: ROOT,
      dir: OAUTH_BUILD_DIR,
      vars: { ...vars, VITE_WECHAT_OAUTH_APPID: MOCK_OFFICIAL_ACCOUNT.appId },
      label: 'H5 demo with WeChat OAuth',
    })

    const browserServer: BrowserServer = await chromium.launchServer({ executablePath, args: CHROMIUM_ARGS })
    cleanups.push(() => browserServer.close())

    const env: E2eEnv = {
      webUrl,
      oauthWebUrl,
      apiUrl,
      mockUrl,
      wsEndpoint: browserServer.wsEndpoint(),
      screenshotDir: SCREENSHOT_DIR,
    }
    project.provide('e2e', env)
    console.log(`[e2e] page ${webUrl}, OAuth page ${oauthWebUrl}, backend ${apiUrl}, mock WeChat ${mockUrl}, chromium ${executablePath}`)
  } catch (error) {
    await teardown()
    throw error
  }
  return teardown
}
