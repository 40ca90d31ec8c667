import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'

const serverDir = join(import.meta.dirname, '../..')
// Per checkout: worktrees of the repository have dist/ folders of their own.
const lockDir = join(tmpdir(), `uma-server-pack-${createHash('sha256').update(serverDir).digest('hex').slice(0, 12)}.lock`)
const STALE_LOCK_MS = 10 * 60_000
const run = promisify(execFile)

/** The runner's own variables (VITEST, NODE_OPTIONS, NODE_ENV …) must not leak into npm or the scratch apps. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] =>
      entry[1] !== undefined && !entry[0].startsWith('VITEST') && !['NODE_OPTIONS', 'NODE_ENV'].includes(entry[0]),
  )
  return { ...Object.fromEntries(inherited), ...extra }
}

async function takeLock(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lockDir)
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      // A run killed while packing leaves its lock behind; no pack takes this long.
      const since = statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs
      if (since !== undefined && Date.now() - since > STALE_LOCK_MS) rmSync(lockDir, { force: true, recursive: true })
      await sleep(250)
    }
  }
}

export interface PackedServer {
  /** Absolute path of the .tgz. */
  tarball: string
  files: Array<{ path: string }>
}

/**
 * `npm pack` of @uni-mp-auth/server into `destination`. Its `prepack` build empties dist/ first, so
 * test files packing at the same time would ship each other's half-built dist/: they take turns.
 */
export async function packServer(destination: string): Promise<PackedServer> {
  await takeLock()
  try {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
      cwd: serverDir,
      env: cleanEnv(),
      maxBuffer: 16 * 1024 * 1024,
    })
    const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>
    return { tarball: join(destination, packed!.filename), files: packed!.files }
  } finally {
    rmSync(lockDir, { force: true, recursive: true })
  }
}
