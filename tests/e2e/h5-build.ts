import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDevBuild } from '../../scripts/dev-build.mjs'
import { sourceNewerThan } from '../../testkit/mp-host/build'

/** Written into the output after a build: the `VITE_*` values it was built with. */
const STAMP = 'e2e-build.json'
/** The H5 build also reads the root index.html (uni's H5 template). */
const H5_INPUTS = ['index.html']

export interface H5Build {
  /** Project root. */
  root: string
  /** Output folder (served as is by the static server). */
  dir: string
  /** `VITE_*` values baked into the app; the URLs among them must appear in the bundle. */
  vars: Record<string, string>
  /** Names the build in the log. */
  label: string
}

/**
 * The environment without what vitest sets: under VITEST the project's vite.config.ts swaps the
 * uni() plugin for plain Vue. Inherited `VITE_*` would leak into the app: only `vars` count.
 */
function buildEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const runnerKeys = new Set(['NODE_ENV', 'TEST', 'MODE', 'PROD', 'DEV', 'SSR', 'BASE_URL'])
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !runnerKeys.has(key) && !key.startsWith('VITEST') && !key.startsWith('VITE_')),
  )
  return { ...env, ...extra }
}

/** Why `build.dir` must be rebuilt, or undefined when it holds a build of today's sources with these `vars`. */
export function staleReason(build: H5Build): string | undefined {
  const stamp = join(build.dir, STAMP)
  if (!existsSync(join(build.dir, 'index.html')) || !existsSync(stamp)) return 'no build yet'
  let built: unknown
  try {
    built = JSON.parse(readFileSync(stamp, 'utf8'))
  } catch {
    return `${STAMP} is unreadable`
  }
  if (JSON.stringify(built) !== JSON.stringify(build.vars)) return 'built for other URLs or settings'
  const newer = sourceNewerThan(build.root, statSync(stamp).mtimeMs, H5_INPUTS)
  return newer ? `${newer} is newer than the build` : undefined
}

/**
 * A development build of the H5 demo (as `npm run demo` serves it: the timeline needs the request
 * events, which production builds leave out) into `build.dir`, unless the one there is up to date.
 */
export async function ensureH5Build(build: H5Build): Promise<void> {
  const reason = staleReason(build)
  if (!reason) {
    console.log(`[e2e] ${build.label} build is up to date`)
    return
  }
  rmSync(build.dir, { recursive: true, force: true })
  const started = Date.now()
  const watch = startDevBuild({
    cwd: build.root,
    env: buildEnv({ UNI_OUTPUT_DIR: build.dir, ...build.vars }),
    waitFor: join(build.dir, 'index.html'),
  })
  try {
    await watch.ready
  } finally {
    await watch.stop()
  }
  // A build that silently ignored the env (or the output dir) would test the wrong app.
  const assets = join(build.dir, 'assets')
  if (!existsSync(join(build.dir, 'index.html')) || !existsSync(assets)) throw new Error(`H5 build left no app in ${build.dir}`)
  const bundle = readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(assets, file), 'utf8'))
    .join('\n')
  for (const value of Object.values(build.vars)) {
    if (!bundle.includes(value)) throw new Error(`the ${build.label} build does not contain ${value}: VITE_* did not reach the build`)
  }
  // Dated when the build started: a source saved while it ran makes the next run rebuild.
  writeFileSync(join(build.dir, STAMP), JSON.stringify(build.vars))
  utimesSync(join(build.dir, STAMP), started / 1000, started / 1000)
  console.log(`[e2e] ${build.label} built (${reason}) in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
