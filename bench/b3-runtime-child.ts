/**
 * B3 child process: loads one compiled mp-weixin build (vendor.js, app.js, the page) over a fake
 * `wx` whose async APIs answer on the next microtask, launches the app, then times sequential
 * `uni.request` calls through the compiled runtime. Prints one JSON line. One build per process:
 * vendor.js captures `wx` and keeps uni's interceptors in module state.
 *
 * Usage: node --import tsx bench/b3-runtime-child.ts <distDir> <requestsPerSample> <samples>
 */

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { serializeSession } from '../src/core/persisted-session'
import { ENGINE_DEFAULTS } from '../src/core/engine-options'
import { installGlobals } from '../tests/mp-host/globals'
import { createFreshLoader } from '../tests/mp-host/module-loader'
import { createMpRuntime } from '../tests/mp-host/mp-runtime'
import { median } from './lib/stats'

const [distDir, perSampleArg, samplesArg] = process.argv.slice(2)
if (!distDir) throw new Error('usage: b3-runtime-child.ts <distDir> <requestsPerSample> <samples>')
const perSample = Number(perSampleArg ?? 20000)
const samples = Number(samplesArg ?? 5)
const URL = 'https://api.bench/me'

type Callback = (result: unknown) => void
interface Options {
  success?: Callback
  fail?: Callback
  complete?: Callback
  header?: Record<string, unknown>
  [key: string]: unknown
}
const counts = { login: 0, checkSession: 0, request: 0, withToken: 0 }
const storage = new Map<string, unknown>()
// A valid stored session from an earlier run (read only by the build that has the plugin).
storage.set(
  ENGINE_DEFAULTS.storageKey,
  serializeSession({ token: 'tok-1', expiresAt: null, renewAt: null, generation: 1, refreshToken: null, user: null }),
)

function answer(options: Options, result: Record<string, unknown>): void {
  queueMicrotask(() => {
    options.success?.(result)
    options.complete?.(result)
  })
}
const RESPONSE = { errMsg: 'request:ok', statusCode: 200, data: { ok: true }, header: {} }
const info = () => ({
  platform: 'devtools',
  SDKVersion: '3.5.0',
  windowWidth: 375,
  windowHeight: 812,
  pixelRatio: 2,
  language: 'zh_CN',
  system: 'Node',
})
const wx = {
  login: (o: Options) => (counts.login++, answer(o, { errMsg: 'login:ok', code: `code-${counts.login}` })),
  checkSession: (o: Options) => (counts.checkSession++, answer(o, { errMsg: 'checkSession:ok' })),
  request: (o: Options) => {
    counts.request++
    if (o.header && 'Authorization' in o.header) counts.withToken++
    answer(o, RESPONSE)
    return { abort() {}, onProgressUpdate() {}, onHeadersReceived() {}, offHeadersReceived() {} }
  },
  getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
  setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
  removeStorageSync: (key: string) => void storage.delete(key),
  getSystemInfoSync: info,
  getAppBaseInfo: info,
  getWindowInfo: info,
  getDeviceInfo: info,
}

const runtime = createMpRuntime()
installGlobals({ wx, ...runtime.globals })
const loader = createFreshLoader(distDir)
loader.require('app.js')
const vendor = loader.require('common/vendor.js') as { index?: { request(options: Options): unknown } }
const uni = vendor.index
if (!uni) throw new Error(`${distDir}: vendor.js exports no uni`)
const { pages } = JSON.parse(readFileSync(join(distDir, 'app.json'), 'utf8')) as { pages: string[] }
for (const route of pages) runtime.register(route, () => loader.require(`${route}.js`))
const launch = { path: pages[0]!, query: {}, scene: 1001, referrerInfo: {} }
runtime.launch(launch)
runtime.openPage(launch.path)
// Let the launch-time session check (plugin build only) finish: it answers on a microtask.
await new Promise((resolve) => setTimeout(resolve, 10))

const request = () => new Promise<unknown>((resolve) => void uni.request({ url: URL, success: resolve, fail: resolve }))

async function sample(count: number): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < count; i++) await request()
  return count / ((performance.now() - t0) / 1000)
}

await sample(perSample) // warm-up (JIT)
const rates: number[] = []
for (let i = 0; i < samples; i++) rates.push(await sample(perSample))
console.log(JSON.stringify({ reqPerSec: median(rates), rates, counts }))
process.exit(0)
