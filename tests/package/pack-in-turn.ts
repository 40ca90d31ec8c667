import { createHash } from 'node:crypto'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const root = join(import.meta.dirname, '../..')
// Per checkout: worktrees of the repository have dist/ folders of their own.
const lockDir = join(tmpdir(), `uma-root-pack-${createHash('sha256').update(root).digest('hex').slice(0, 12)}.lock`)
// A run killed while packing leaves its lock behind; no pack takes this long.
const STALE_LOCK_MS = 10 * 60_000

/**
 * Runs `pack` (an `npm pack` of this package, or a script that makes one) while no other test file
 * does: `prepack` empties and rebuilds dist/lib, so two packs at once could ship each other's
 * half-built tree. Files of the `package` project run in parallel on machines with more cores.
 */
export async function packInTurn<T>(pack: () => T | Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lockDir)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const since = statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs
      if (since !== undefined && Date.now() - since > STALE_LOCK_MS) rmSync(lockDir, { force: true, recursive: true })
      await sleep(250)
    }
  }
  try {
    return await pack()
  } finally {
    rmSync(lockDir, { force: true, recursive: true })
  }
}
