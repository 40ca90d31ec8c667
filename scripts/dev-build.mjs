// A uni-app development build (`uni build --watch`) that reports when its first build is done.
// `uni build` always forces NODE_ENV=production; the watch build is a development build, so the
// plugin's development-only code (its request events, which the demo's timeline draws) stays in.
// The watcher keeps running (edits rebuild) until stop().
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

const UNI = fileURLToPath(new URL('uni.mjs', import.meta.url))

/**
 * `ready` resolves once `waitFor` (a file of the output) exists after the first build: the watcher
 * prints its "Build complete" before the files are written.
 * `onOutput` sees the watcher's output (rebuilds and their errors included).
 * @param {{ platform?: string, env: NodeJS.ProcessEnv, cwd?: string, waitFor: string, onOutput?: (text: string) => void }} options
 * @returns {{ ready: Promise<void>, stop(): Promise<void> }}
 */
export function startDevBuild({ platform, env, cwd, waitFor, onOutput }) {
  const args = [UNI, 'build', '--watch', ...(platform ? ['-p', platform] : [])]
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const built = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      onOutput?.(chunk.toString())
      output += chunk.toString()
      if (output.includes('DONE  Build complete')) resolve()
      // A failed first build keeps watching for a fix: report it instead of waiting forever.
      else if (/Build failed|\[vite\]:? Rollup failed|error during build/i.test(output)) reject(new Error(`uni build failed:\n${output}`))
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('error', reject)
    child.once('exit', (code, signal) =>
      reject(new Error(`uni build --watch exited (${signal ?? code}) before its first build:\n${output}`)),
    )
  })
  // The first "Build complete" can come before every file is on disk: wait for `waitFor`, then for
  // the output folder to stay unchanged for a moment.
  const ready = built.then(async () => {
    let last = ''
    for (let waited = 0, quiet = 0; quiet < 3; waited += 200) {
      if (waited > 60_000) throw new Error(`uni build --watch reported done but its output in ${dirname(waitFor)} never settled`)
      await delay(200)
      const now = existsSync(waitFor) ? snapshot(dirname(waitFor)) : ''
      quiet = now && now === last ? quiet + 1 : 0
      last = now
    }
  })
  return {
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

/** Names, sizes and times of every file under `dir`: equal twice means nothing is being written. */
function snapshot(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => {
      const stats = statSync(join(dir, String(name)))
      return `${name}:${stats.size}:${stats.mtimeMs}`
    })
    .sort()
    .join('|')
}
