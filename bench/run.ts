/**
 * `npm run bench`: B4 builds (also used by B3), B3, B1/B2, B5, B6; writes bench/results/latest.json,
 * latest.md and b1-cold-start.svg. Timings are measured, never asserted: targets are reported as
 * met or missed with the measured margin.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { RTTS, runLaunchBenchmarks } from './b1-b2-launch'
import { runMicroBenchmark, runRuntimeBenchmark } from './b3-fast-path'
import { runModuleBreakdowns } from './b4-modules'
import { buildAll, ROOT } from './b4-size'
import { runBackendBenchmark } from './b5-backend'
import { runLoginLimitsBenchmark } from './b6-login-limits'
import { renderMarkdown, renderSvg } from './report'

const started = Date.now()
const quick = process.argv.includes('--quick')
const ROUNDS = quick ? 3 : 9
const SIZES = [1, 10, 100, 1000]

console.log('B4 size: building scratch apps…')
const sizes = buildAll()
const modules = await runModuleBreakdowns()
console.log('B3 fast path…')
const B3_ROUNDS = quick ? 2 : 5
const runtime = await runRuntimeBenchmark(B3_ROUNDS)
const micro = await runMicroBenchmark()
console.log('B1/B2 launch and 401 storm…')
const launch = await runLaunchBenchmarks({ rounds: ROUNDS, sizes: SIZES, stormSize: 100 })
console.log('B5 backend…')
const backend = await runBackendBenchmark(quick ? 1 : 3)
console.log('B6 login limits…')
const loginLimits = await runLoginLimitsBenchmark()

const results = {
  generatedAt: new Date().toISOString(),
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  },
  method: `Every comparison runs its contenders in the same process run, interleaved (order rotated each round); figures are medians over ${ROUNDS} rounds (B1/B2), ${B3_ROUNDS} child processes per build (B3), 3 rounds (B5).`,
  b1: { rttsMs: RTTS, cold: launch.b1, relaunch: launch.b1Relaunch },
  b2: launch.b2,
  b3: { runtime, micro },
  b4: sizes,
  b4Modules: modules,
  b5: backend,
  b6: loginLimits,
  durationS: 0,
}
results.durationS = Math.round((Date.now() - started) / 1000)
const out = join(ROOT, 'bench/results')
mkdirSync(out, { recursive: true })
writeFileSync(join(out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`)
writeFileSync(join(out, 'latest.md'), renderMarkdown(results))
writeFileSync(join(out, 'b1-cold-start.svg'), renderSvg(results.b1.cold))
console.log(`done in ${results.durationS} s → bench/results/latest.{json,md}, b1-cold-start.svg`)
process.exit(0)
