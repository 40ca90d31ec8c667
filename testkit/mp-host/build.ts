import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** What a mini-program build is made from, relative to the project root. */
export const BUILD_INPUTS = ['src', 'pages', 'demo', 'main.ts', 'App.vue', 'manifest.json', 'pages.json', 'vite.config.ts', 'package.json']
/** Files every mini-program build has (mp-weixin, mp-alipay, mp-toutiao); the oldest of them dates the build. */
const BUILD_OUTPUTS = ['app.js', 'app.json', 'common/vendor.js']

export interface BuildCheck {
  stale: boolean
  reason: string
}

export function checkBuild(root: string, distDir: string): BuildCheck {
  const outputs = BUILD_OUTPUTS.map((file) => join(distDir, file))
  const missing = outputs.find((file) => !existsSync(file))
  if (missing) return { stale: true, reason: `${missing} is missing` }
  const newer = sourceNewerThan(root, Math.min(...outputs.map((file) => statSync(file).mtimeMs)))
  return newer ? { stale: true, reason: `${newer} is newer than the build` } : { stale: false, reason: 'up to date' }
}

/** The first of the demo's sources (BUILD_INPUTS) changed after `builtAt` (ms), if any: the build is stale then. */
export function sourceNewerThan(root: string, builtAt: number, extraInputs: readonly string[] = []): string | undefined {
  return [...BUILD_INPUTS, ...extraInputs]
    .map((input) => join(root, input))
    .flatMap((input) => (existsSync(input) ? filesUnder(input) : []))
    .find((file) => statSync(file).mtimeMs > builtAt)
}

/** Runs `node scripts/uni.mjs build -p mp-weixin`; throws when it fails. */
export function buildMpWeixin(root: string): void {
  buildMiniProgram(root, 'mp-weixin')
}

/** Runs `node scripts/uni.mjs build -p <platform>` (into dist/build/<platform>); throws when it fails. */
export function buildMiniProgram(root: string, platform: string): void {
  const result = spawnSync(process.execPath, [join(root, 'scripts/uni.mjs'), 'build', '-p', platform], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: buildEnv(),
  })
  if (result.status !== 0) throw new Error(`${platform} build failed (exit ${result.status ?? result.signal})`)
}

/**
 * The environment without what a test runner sets: under vitest, the project's vite.config.ts
 * swaps the uni() plugin for plain Vue (it checks VITEST), and the "build" silently becomes an H5 one.
 */
export function buildEnv(): NodeJS.ProcessEnv {
  const runnerKeys = new Set(['NODE_ENV', 'TEST', 'MODE', 'PROD', 'DEV', 'SSR', 'BASE_URL'])
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !runnerKeys.has(key) && !key.startsWith('VITEST') && !key.startsWith('VITE_USER')),
  )
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.name === 'node_modules' ? [] : filesUnder(join(path, entry.name)),
  )
}
