#!/usr/bin/env node
// `npm test`: every check this project has, in one command, the same on a laptop and in CI.
// Type checks, the committed mutation scores (client and backend), unit tests (engine, Vue layer, uni-app's real API layer),
// both builds, scenarios on the compiled mini-program, the backend suites (SQLite, a real PostgreSQL and
// Redis, a multi-instance fault test) and the H5 demo in a real Chromium. System packages the suites
// need are installed when we can (root + apt) and otherwise named with the exact command: a suite is
// never skipped silently.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const results = join(root, 'test-results')
// Debian package → how to tell it is installed (PostgreSQL's binaries live off PATH, in a versioned
// directory the server's own script knows how to find: asked as a process, packages import no script of another).
const SYSTEM_PACKAGES = {
  chromium: () => existsSync('/usr/bin/chromium'),
  'redis-server': () => onPath('redis-server'),
  postgresql: () =>
    spawnSync(process.execPath, ['server/scripts/ensure-postgres.mjs', '--find'], { cwd: root, stdio: 'ignore' }).status === 0,
}

/** Runs a command, streaming its output; returns its exit code. */
function run(command, args, env = {}) {
  const child = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  if (child.error) throw child.error
  return child.status ?? 1
}

function onPath(binary) {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0
}

function ensureSystemPackages() {
  const missing = Object.entries(SYSTEM_PACKAGES)
    .filter(([, installed]) => !installed())
    .map(([name]) => name)
  if (missing.length === 0) return 0
  const command = `apt-get update && apt-get -o DPkg::Lock::Timeout=600 install -y ${missing.join(' ')}`
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot || !onPath('apt-get')) {
    console.error(`\nThe tests need Debian packages that are not installed: ${missing.join(', ')}.\nRun:\n  sudo ${command}\n`)
    return 1
  }
  console.log(`Installing ${missing.join(', ')} …`)
  return run('sh', ['-c', command], { DEBIAN_FRONTEND: 'noninteractive' })
}

/** A vitest run whose counts we read back from its JSON report. */
function vitest(name, args) {
  const report = join(results, `${name}.json`)
  rmSync(report, { force: true })
  const code = run('npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${report}`])
  let passed = 0
  let failed = 0
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'))
    passed = json.numPassedTests
    failed = json.numFailedTests
  }
  // A runner that exits non-zero without a failing test (crash, no tests found) still fails the step.
  if (code !== 0 && failed === 0) failed = 1
  return { code, passed, failed }
}

const steps = [
  ['system packages (chromium, redis-server, postgresql)', ensureSystemPackages],
  ['lint and format: Biome over the whole repository', () => run('npx', ['biome', 'check', '.'])],
  // The mutation run takes minutes, so it stays out of here; its committed score must still hold for these sources.
  ['mutation score: committed, ≥ 90 %, measured on the current sources', () => run('node', ['scripts/mutation-score.mjs', 'check'])],
  [
    'server mutation score: committed, ≥ 85 %, measured on the current sources',
    () => run('node', ['scripts/mutation-score.mjs', 'server', 'check']),
  ],
  ['type check: plugin, demo, tests', () => run('npx', ['vue-tsc', '--noEmit', '-p', 'tsconfig.json'])],
  ['type check: server', () => run('npx', ['tsc', '--noEmit', '-p', 'server/tsconfig.json'])],
  ['unit tests: engine, Vue layer, uni-app real API layer', () => vitest('unit', ['--project', 'unit', '--project', 'uni-runtime'])],
  ['build: mp-weixin', () => run('node', ['scripts/uni.mjs', 'build', '-p', 'mp-weixin'])],
  ['build: H5', () => run('node', ['scripts/uni.mjs', 'build'])],
  ['compiled mini-program scenarios', () => vitest('mp-host', ['--project', 'mp-host'])],
  [
    'compiled Alipay and Douyin scenarios (builds mp-alipay and mp-toutiao when stale)',
    () => vitest('vendor-host', ['--project', 'vendor-host']),
  ],
  ['package: npm pack into a scratch app', () => vitest('package', ['--project', 'package'])],
  [
    'server: backend, mock WeChat, SQLite and PostgreSQL stores, Redis cache',
    () => vitest('server', ['--root', 'server', '--project', 'server']),
  ],
  [
    'server fault test: 3 backend processes on one PostgreSQL + Redis, SIGKILL and a PostgreSQL restart',
    () => vitest('server-fault', ['--root', 'server', '--project', 'fault']),
  ],
  ['end to end: H5 demo in Chromium', () => vitest('e2e', ['--project', 'e2e'])],
]

mkdirSync(results, { recursive: true })
let passed = 0
let failed = 0
const failedSteps = []
for (const [index, [title, step]] of steps.entries()) {
  console.log(`\n▶ ${title}`)
  const outcome = step()
  // A check that is not a test runner (type check, build) counts as one test of its own.
  const {
    code,
    passed: p,
    failed: f,
  } = typeof outcome === 'number' ? { code: outcome, passed: outcome === 0 ? 1 : 0, failed: outcome === 0 ? 0 : 1 } : outcome
  passed += p
  failed += f
  if (code === 0) continue
  failedSteps.push(title)
  // Without the system packages every later suite would fail for the same reason: stop here.
  if (index === 0) break
}
console.log('')
if (failedSteps.length > 0) console.log(`Failed steps:\n${failedSteps.map((s) => `  - ${s}`).join('\n')}`)
console.log(`npm test: ${passed} passed, ${failed} failed`)
process.exit(failedSteps.length > 0 ? 1 : 0)
