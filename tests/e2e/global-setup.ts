import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BrowserServer, chromium } from 'playwright-core'
import type { TestProject } from 'vitest/node'
import { startDevBuild } from '../../scripts/dev-build.mjs'
import { serveStatic } from '../../scripts/static-server.mjs'
import { buildMockWechat } from '../../server/mock-wechat/app'
import { buildApp } from '../../server/src/app'
import { loadConfig } from '../../server/src/config/environment'
import { CHROMIUM_ARGS, ensureChromium } from './ensure-chromium'
import type { BackendCall, E2eEnv } from './env'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** A build of its own: `npm run demo`'s dist/build/h5 is wired to other ports and stays untouched. */
const BUILD_DIR = join(ROOT, 'dist', 'e2e', 'h5')
const SCREENSHOT_DIR = join(ROOT, 'test-results', 'e2e')
const HOST = '127.0.0.1'

function origin(server: { address(): AddressInfo | string | null }): string {
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('server is not listening on TCP')
  return `http://${HOST}:${address.port}`
}

/**
 * The environment without what vitest sets: under VITEST the project's vite.config.ts swaps the
 * uni() plugin for plain Vue. The demo is a development build, as `npm run demo` serves it: its
 * timeline needs the request events, which production builds leave out (the compiled mini-program
 * host and the packed-tarball test cover production builds).
 */
function buildEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const runnerKeys = new Set(['NODE_ENV', 'TEST', 'MODE', 'PROD', 'DEV', 'SSR', 'BASE_URL'])
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !runnerKeys.has(key) && !key.startsWith('VITEST') && !key.startsWith('VITE_')),
  )
  return { ...env, ...extra }
}

/**
 * A development build of the H5 demo (as `npm run demo` serves it) into BUILD_DIR, with the backend
 * and mock of this run baked in. Returns the watcher's stop function.
 */
async function buildH5(apiUrl: string, mockUrl: string): Promise<() => Promise<void>> {
  rmSync(BUILD_DIR, { recursive: true, force: true })
  const started = Date.now()
  const build = startDevBuild({
    cwd: ROOT,
    env: buildEnv({ UNI_OUTPUT_DIR: BUILD_DIR, VITE_API_BASE: apiUrl, VITE_WECHAT_MOCK: mockUrl }),
    waitFor: join(BUILD_DIR, 'index.html'),
  })
  try {
    await build.ready
  } catch (error) {
    await build.stop()
    throw error
  }
  // A build that silently ignored the env (or the output dir) would test the wrong app.
  const assets = join(BUILD_DIR, 'assets')
  if (!existsSync(join(BUILD_DIR, 'index.html')) || !existsSync(assets)) throw new Error(`H5 build left no app in ${BUILD_DIR}`)
  const bundle = readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(assets, file), 'utf8'))
    .join('\n')
  for (const url of [apiUrl, mockUrl]) {
    if (!bundle.includes(url)) throw new Error(`the H5 build does not contain ${url}: VITE_* did not reach the build`)
  }
  console.log(`[e2e] H5 demo built for ${apiUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return build.stop
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, HOST, () => resolve())
  })
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const executablePath = ensureChromium()
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const cleanups: (() => Promise<unknown>)[] = []
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error('[e2e] teardown:', error))
  }

  try {
    // Every server listens on a port of its own choosing first (no free-port race), then the app is
    // built for exactly those URLs. The static server serves BUILD_DIR whenever it exists.
    const web = serveStatic(BUILD_DIR)
    await listen(web)
    cleanups.push(
      () =>
        new Promise((resolve) => {
          web.closeAllConnections()
          web.close(resolve)
        }),
    )
    const webUrl = origin(web)

    const mock = buildMockWechat({ corsOrigins: [webUrl] })
    const mockUrl = (await mock.app.listen({ host: HOST, port: 0 })).replace('localhost', HOST)
    cleanups.push(() => mock.app.close())

    const config = loadConfig({
      WX_API_BASE: mockUrl,
      STORE_URL: 'sqlite::memory:',
      AUTH_DEV_ENDPOINTS: '1',
      CORS_ORIGIN: webUrl,
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
    const apiUrl = (await app.listen({ host: HOST, port: 0 })).replace('localhost', HOST)
    cleanups.push(() => app.close())

    cleanups.push(await buildH5(apiUrl, mockUrl))

    const browserServer: BrowserServer = await chromium.launchServer({ executablePath, args: CHROMIUM_ARGS })
    cleanups.push(() => browserServer.close())

    const env: E2eEnv = { webUrl, apiUrl, mockUrl, wsEndpoint: browserServer.wsEndpoint(), screenshotDir: SCREENSHOT_DIR }
    project.provide('e2e', env)
    console.log(`[e2e] page ${webUrl}, backend ${apiUrl}, mock WeChat ${mockUrl}, chromium ${executablePath}`)
  } catch (error) {
    await teardown()
    throw error
  }
  return teardown
}
