/**
 * B3: the fast path. (a) Requests per second through the compiled mp-weixin runtime with the plugin
 * installed and a valid session, against the same minimal app with only an empty `invoke`
 * interceptor (uni's own interceptor machinery: the floor any interceptor-based plugin stands on)
 * and without any. Each sample is a fresh child process; builds alternate round by round, and each
 * ratio is the median of the per-round ratios. (b) tinybench of ensureSession()'s fast path.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { Bench } from 'tinybench'
import { createAuth } from '../src/uni/create-auth'
import { createFakeBackend } from '../testkit/doubles/fake-backend'
import { clearInterceptors, loadRealUni } from '../testkit/harness/real-uni'
import { distOf, ROOT, type SizeVariant } from './b4-size'
import { API, LOGIN_PATH } from './contenders/apps'
import { interleave, median } from './lib/stats'

const RUNTIME_VARIANTS = ['base', 'ours', 'base-noop-interceptor'] as const satisfies readonly SizeVariant[]
type RuntimeVariant = (typeof RUNTIME_VARIANTS)[number]

interface ChildResult {
  reqPerSec: number
  cpuReqPerSec: number
  counts: { login: number; checkSession: number; request: number; withToken: number }
}

function runChild(variant: RuntimeVariant, perSample: number, samples: number): Promise<ChildResult> {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/b3-runtime-child.ts'), distOf(variant), String(perSample), String(samples)],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  )
  if (result.status !== 0) throw new Error(`B3 child for ${variant} failed:\n${result.stderr}`)
  return Promise.resolve(JSON.parse(result.stdout.trim().split('\n').at(-1)!) as ChildResult)
}

export interface RuntimeResults {
  /** Requests per second of wall time, median per build. */
  reqPerSec: Record<RuntimeVariant, number>
  /**
   * Requests per second of the child's own CPU time, median per build. On a shared machine other
   * processes steal wall time from whichever child they hit; CPU time counts only the child's work.
   */
  cpuReqPerSec: Record<RuntimeVariant, number>
  samples: Record<RuntimeVariant, number[]>
  /** Medians of the per-round ratios of req/s (1 = as fast; below 1 = slower), wall time. */
  ratios: { oursVsNoop: number; oursVsBase: number; noopVsBase: number }
  /** The same from CPU time. */
  cpuRatios: { oursVsNoop: number; oursVsBase: number; noopVsBase: number }
  /** Sanity: the plugin build sent every request with a token and logged in 0 times. */
  counts: Record<RuntimeVariant, ChildResult['counts']>
}

export async function runRuntimeBenchmark(rounds: number, perSample = 20000, samplesPerChild = 5): Promise<RuntimeResults> {
  const runs = await interleave(RUNTIME_VARIANTS, rounds, (variant) => runChild(variant, perSample, samplesPerChild))
  const pick = <T>(f: (v: RuntimeVariant) => T) => Object.fromEntries(RUNTIME_VARIANTS.map((v) => [v, f(v)])) as Record<RuntimeVariant, T>
  const cpu = (r: ChildResult) => r.cpuReqPerSec
  const perRound = (a: RuntimeVariant, b: RuntimeVariant, rate: (r: ChildResult) => number = (r) => r.reqPerSec) =>
    median(runs[a].map((r, i) => rate(r) / rate(runs[b][i]!)))
  return {
    reqPerSec: pick((v) => median(runs[v].map((r) => r.reqPerSec))),
    cpuReqPerSec: pick((v) => median(runs[v].map(cpu))),
    samples: pick((v) => runs[v].map((r) => r.reqPerSec)),
    ratios: {
      oursVsNoop: perRound('ours', 'base-noop-interceptor'),
      oursVsBase: perRound('ours', 'base'),
      noopVsBase: perRound('base-noop-interceptor', 'base'),
    },
    cpuRatios: {
      oursVsNoop: perRound('ours', 'base-noop-interceptor', cpu),
      oursVsBase: perRound('ours', 'base', cpu),
      noopVsBase: perRound('base-noop-interceptor', 'base', cpu),
    },
    counts: pick((v) => runs[v].at(-1)!.counts),
  }
}

export interface MicroResult {
  name: string
  opsPerSec: number
  latencyNs: number
  samples: number
}

/** tinybench: ensureSession() with a valid, checked session (the path every request takes). */
export async function runMicroBenchmark(): Promise<MicroResult[]> {
  const { uni, wx } = await loadRealUni({ recordCalls: false })
  clearInterceptors(uni)
  wx.reset({ backend: createFakeBackend({ baseUrl: API }), behaviour: { latencyMs: 0 } })
  const auth = createAuth({ host: { uni }, baseUrl: API, login: LOGIN_PATH })
  await auth.engine.ensureSession()
  const { engine } = auth
  const bench = new Bench({ time: 1000, warmupTime: 300 })
  bench
    .add('ensureSession() fast path (awaited)', async () => {
      await engine.ensureSession()
    })
    .add('peek() (what the interceptor calls)', () => {
      engine.peek()
    })
  await bench.run()
  auth.uninstall()
  return bench.tasks.map((task) => {
    const result = task.result as unknown as {
      throughput?: { median?: number; mean?: number }
      latency?: { median?: number; mean?: number; samplesCount?: number }
      samples?: unknown[]
    }
    const ops = result.throughput?.median ?? result.throughput?.mean ?? Number.NaN
    const lat = result.latency?.median ?? result.latency?.mean ?? Number.NaN
    return { name: task.name, opsPerSec: ops, latencyNs: lat * 1e6, samples: result.latency?.samplesCount ?? 0 }
  })
}
