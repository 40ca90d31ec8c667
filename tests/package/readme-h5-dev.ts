import { type ChildProcess, spawn } from 'node:child_process'
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { buildMockWechat } from '../../server/mock-wechat/app'
import { buildApp } from '../../server/src/app'
import { loadConfig } from '../../server/src/config/environment'
import { CHROMIUM_ARGS, ensureChromium } from '../e2e/ensure-chromium'

const HOST = '127.0.0.1'
/** Where the README's development code expects the reference backend and its mock WeChat API. */
const README_API = 'http://127.0.0.1:8787'
const README_MOCK = 'http://127.0.0.1:8788'

export interface H5DevResult {
  status: string | null
  user: string | null
  problem: string | null
  /** The id of the user the backend's GET /me answered with. */
  userId: string | null
  /** What reached the backend: `METHOD /path status`. */
  calls: string[]
  pageErrors: string[]
}

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, HOST, resolve))
  const address = probe.address()
  await new Promise((resolve) => probe.close(resolve))
  if (!address || typeof address === 'string') throw new Error('no free port')
  return address.port
}

/** The README's file with one URL swapped for this run's port; fails if the README no longer has that URL. */
function retarget(file: string, from: string, to: string): void {
  const code = readFileSync(file, 'utf8')
  if (!code.includes(from)) throw new Error(`${file} no longer mentions ${from}: update the README test with the README`)
  writeFileSync(file, code.replaceAll(from, to))
}

/** `npx uni` (the H5 dev server) in `dir`; resolves with its URL once it listens. */
async function startDevServer(dir: string, env: NodeJS.ProcessEnv): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort()
  const cli = join(dir, 'node_modules/@dcloudio/vite-plugin-uni/bin/uni.js')
  const child = spawn(process.execPath, [cli, '--host', HOST, '--port', String(port), '--strictPort'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = `http://${HOST}:${port}`
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the dev server did not start within 120 s:\n${output}`)), 120_000)
    const onData = (chunk: Buffer) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the CLI's colour codes.
      output += chunk.toString().replace(/\u001b\[[0-9;]*m/g, '')
      if (output.includes(url)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the dev server exited (${code}):\n${output}`))
    })
  })
  return { url, process: child }
}

/**
 * The README's H5 development path: the reference backend and its mock WeChat API running, the
 * README app under `npx uni`, opened in Chromium with no `?code=`. The app is a copy of `appDir`
 * whose two development URLs point at this run's ports (the README's fixed ports may be taken).
 */
export async function runH5DevPath(options: {
  appDir: string
  modules: string
  work: string
  env: NodeJS.ProcessEnv
}): Promise<H5DevResult> {
  const { appDir, modules, work } = options
  cpSync(appDir, work, { recursive: true, filter: (source) => !/[/\\](node_modules|dist)$/.test(source) })
  symlinkSync(modules, join(work, 'node_modules'))

  const cleanups: Array<() => Promise<unknown> | unknown> = []
  try {
    const mock = buildMockWechat({})
    cleanups.push(() => mock.app.close())
    const mockUrl = (await mock.app.listen({ host: HOST, port: 0 })).replace('localhost', HOST)

    const backend = await buildApp(loadConfig({ WX_API_BASE: mockUrl, STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'warn' }), { logger: false })
    cleanups.push(() => backend.close())
    const calls: string[] = []
    let userId: string | null = null
    backend.addHook('onSend', async (request, reply, payload) => {
      if (request.method === 'OPTIONS') return payload
      calls.push(`${request.method} ${request.url.split('?')[0]} ${reply.statusCode}`)
      if (request.url === '/me' && typeof payload === 'string')
        userId = (JSON.parse(payload) as { user?: { id?: string } }).user?.id ?? null
      return payload
    })
    const apiUrl = (await backend.listen({ host: HOST, port: 0 })).replace('localhost', HOST)

    retarget(join(work, 'src/main.ts'), README_API, apiUrl)
    retarget(join(work, 'src/h5-code.ts'), README_MOCK, mockUrl)
    const dev = await startDevServer(work, options.env)
    cleanups.push(() => dev.process.kill('SIGTERM'))

    const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS })
    cleanups.push(() => browser.close())
    const page = await browser.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text())
    })
    // Everything off this machine (uni's CDN assets) stays offline here.
    await page.route(
      (url) => url.hostname !== HOST,
      (route) => route.abort(),
    )
    await page.goto(dev.url)
    await page
      .waitForFunction(
        () =>
          document.querySelector('#problem') !== null || /^user: [^…]+$/.test(document.querySelector('#user')?.textContent?.trim() ?? ''),
        null,
        { timeout: 90_000 },
      )
      .catch(() => undefined)
    const text = async (selector: string) => (await page.$(selector)) && ((await page.textContent(selector)) ?? '').trim()
    return { status: await text('#status'), user: await text('#user'), problem: await text('#problem'), userId, calls, pageErrors }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup()
  }
}
