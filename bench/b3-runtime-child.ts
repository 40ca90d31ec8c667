/**
 * B3 child process: loads one compiled mp-weixin build (vendor.js, app.js, the page) over the
 * suite's fake `wx` (async APIs answer on the next microtask), launches the app, then times sequential
 * `uni.request` calls through the compiled runtime. Prints one JSON line. One build per process:
 * vendor.js captures `wx` and keeps uni's interceptors in module state.
 *
 * Usage: node --import tsx bench/b3-runtime-child.ts <distDir> <requestsPerSample> <samples>
 */

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ENGINE_DEFAULTS } from '../src/core/engine-options'
import { serializeSession } from '../src/core/persisted-session'
import { installGlobals } from '../testkit/mp-host/globals'
import { createFreshLoader } from '../testkit/mp-host/module-loader'
import { createMpRuntime } from '../testkit/mp-host/mp-runtime'
import { loadSimulator } from '../testkit/mp-host/simulator'
import { createFakeWx, type HttpResponse } from '../testkit/doubles/fake-wx'
import { createMemoryStorage } from '../testkit/doubles/memory-storage'
import { median } from './lib/stats'

const [distDir, perSampleArg, samplesArg] = process.argv.slice(2)
if (!distDir) throw new Error('usage: b3-runtime-child.ts <distDir> <requestsPerSample> <samples>')
const perSample = Number(perSampleArg ?? 20000)
const samples = Number(samplesArg ?? 5)
const URL = 'https://api.bench/me'

// A valid stored session from an earlier run (read only by the build that has the plugin).
const storage = createMemoryStorage({
  [ENGINE_DEFAULTS.storageKey]: serializeSession({
    token: 'tok-1',
    expiresAt: null,
    renewAt: null,
    generation: 1,
    refreshToken: null,
    user: null,
  }),
})
// Every request gets one fixed answer, and the fake keeps counts only: per request the doubles cost
// next to nothing, so the figures are uni's and the plugin's.
const RESPONSE: HttpResponse = { statusCode: 200, data: { ok: true }, header: {} }
let withToken = 0
const fake = createFakeWx({
  storage,
  recordCalls: false,
  behaviour: {
    latencyMs: 0,
    http: (request) => {
      if ('Authorization' in request.header) withToken++
      return RESPONSE
    },
  },
})
type Options = Record<string, unknown>

const loader = createFreshLoader(distDir)
// The page renders in WeChat's framework (miniprogram-simulate), once, before the timed requests.
const runtime = createMpRuntime(distDir, (file) => loader.require(file))
const simulator = loadSimulator()
installGlobals({ ...simulator.domGlobals, wx: fake.wx, ...runtime.globals }, simulator.isFrameworkGlobal)
loader.require('app.js')
const vendor = loader.require('common/vendor.js') as { index?: { request(options: Options): unknown } }
const uni = vendor.index
if (!uni) throw new Error(`${distDir}: vendor.js exports no uni`)
const { pages } = JSON.parse(readFileSync(join(distDir, 'app.json'), 'utf8')) as { pages: string[] }
for (const route of pages) runtime.register(route)
const launch = { path: pages[0]!, query: {}, scene: 1001, referrerInfo: {} }
runtime.launch(launch)
runtime.openPage(launch.path)
// Let the launch-time session check (plugin build only) finish: it answers on a microtask.
await new Promise((resolve) => setTimeout(resolve, 10))

const request = () => new Promise<unknown>((resolve) => void uni.request({ url: URL, success: resolve, fail: resolve }))

/** Requests per second of wall time, and per second of this process's CPU time (less hurt by a busy machine). */
async function sample(count: number): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (let i = 0; i < count; i++) await request()
  const wallS = (performance.now() - t0) / 1000
  const { user, system } = process.cpuUsage(cpu0)
  return { wall: count / wallS, cpu: count / ((user + system) / 1e6) }
}

await sample(perSample) // warm-up (JIT)
const rates: number[] = []
const cpuRates: number[] = []
for (let i = 0; i < samples; i++) {
  const { wall, cpu } = await sample(perSample)
  rates.push(wall)
  cpuRates.push(cpu)
}
const counts = {
  login: fake.calls.count('login'),
  checkSession: fake.calls.count('checkSession'),
  request: fake.calls.count('request'),
  withToken,
}
console.log(JSON.stringify({ reqPerSec: median(rates), cpuReqPerSec: median(cpuRates), rates, counts }))
process.exit(0)
