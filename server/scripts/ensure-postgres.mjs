#!/usr/bin/env node
// Makes a throwaway PostgreSQL cluster available for the store tests, the fault test and the benchmark.
// - PostgreSQL missing: installs Debian's `postgresql` when running as root, otherwise exits
//   non-zero with the exact command to run.
// - startPostgres() runs initdb on a temp directory and starts a server on a free loopback port.
//   initdb and postgres refuse to run as root: as root they run as the `postgres` system user
//   (created by the Debian package), on a directory owned by that user.
// CLI: `node scripts/ensure-postgres.mjs` only ensures it is installed;
//      `node scripts/ensure-postgres.mjs --find` installs nothing: prints the bin directory, exits 1 when there is none;
//      `node scripts/ensure-postgres.mjs --start` also runs one in the foreground and prints its URL.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { freePort } from './free-port.mjs'

const INSTALL_COMMAND = 'apt-get update && apt-get -o DPkg::Lock::Timeout=600 install -y postgresql'
const DEBIAN_ROOT = '/usr/lib/postgresql'

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0

/** The directory holding initdb and postgres: Debian's newest /usr/lib/postgresql/<version>/bin, else PATH. */
export function findPostgresBinDir() {
  if (existsSync(DEBIAN_ROOT)) {
    const versions = readdirSync(DEBIAN_ROOT)
      .filter((name) => /^\d+(\.\d+)?$/.test(name) && existsSync(join(DEBIAN_ROOT, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a))
    if (versions[0]) return join(DEBIAN_ROOT, versions[0], 'bin')
  }
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' })
  const initdb = onPath.status === 0 ? onPath.stdout.trim() : ''
  return initdb ? initdb.slice(0, initdb.lastIndexOf('/')) : null
}

/** Resolves the bin directory; throws with the exact install command when it cannot install it itself. */
export function ensurePostgresInstalled() {
  const found = findPostgresBinDir()
  if (found) return found
  if (!isRoot()) {
    throw new Error(`PostgreSQL (initdb, postgres) is not installed and this is not root. Run:\n  sudo sh -c '${INSTALL_COMMAND}'`)
  }
  console.error(`[ensure-postgres] PostgreSQL missing, running: ${INSTALL_COMMAND}`)
  execFileSync('sh', ['-c', INSTALL_COMMAND], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  const installed = findPostgresBinDir()
  if (!installed) throw new Error(`initdb still not found under ${DEBIAN_ROOT} or on PATH after installing the Debian package`)
  return installed
}

/** uid/gid of the `postgres` system user when we are root; `{}` (run as ourselves) otherwise. */
function runAs() {
  if (!isRoot()) return {}
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim())
  try {
    return { uid: id('-u'), gid: id('-g') }
  } catch {
    throw new Error("Running as root, but there is no 'postgres' system user to run PostgreSQL as (Debian's postgresql package creates it)")
  }
}

async function answers(url) {
  // Imported here so that findPostgresBinDir() works before `npm ci` (scripts/test.mjs uses it).
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * Starts a fresh cluster on a free loopback port; resolves once it accepts queries.
 * @param {{ timeoutMs?: number, durable?: boolean }} options `durable: false` (tests) turns fsync off.
 * @returns {Promise<import('./ensure-postgres.d.mts').RunningPostgres>}
 */
export async function startPostgres({ timeoutMs = 30_000, durable = false } = {}) {
  const binDir = ensurePostgresInstalled()
  const user = runAs()
  const base = mkdtempSync(join(tmpdir(), 'uma-pg-'))
  if (user.uid !== undefined) chownSync(base, user.uid, user.gid)
  const dataDir = join(base, 'data')
  const initdbArgs = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']
  const initdb = isRoot()
    ? spawnSync('runuser', ['-u', 'postgres', '--', join(binDir, 'initdb'), ...initdbArgs], { encoding: 'utf8', cwd: base })
    : spawnSync(join(binDir, 'initdb'), initdbArgs, { encoding: 'utf8', cwd: base })
  if (initdb.status !== 0) {
    rmSync(base, { recursive: true, force: true })
    throw new Error(`initdb failed:\n${initdb.stdout}${initdb.stderr}${initdb.error ?? ''}`)
  }

  const port = await freePort()
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  const settings = ['listen_addresses=127.0.0.1', 'max_connections=200', 'log_min_messages=warning']
  if (!durable) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off')
  const args = ['-D', dataDir, '-p', String(port), '-k', base, ...settings.flatMap((s) => ['-c', s])]
  let server = null

  const start = async () => {
    if (server) return
    // Spawned with uid/gid rather than through runuser: signals then reach the postmaster itself,
    // so a stop is a clean fast shutdown (runuser would answer SIGTERM by killing its child hard).
    const child = spawn(join(binDir, 'postgres'), args, { ...user, cwd: base, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const exited = new Promise((resolve) => child.once('exit', resolve))
    server = { child, exited }
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline && child.exitCode === null) {
      if (await answers(url)) return
      await new Promise((r) => setTimeout(r, 100))
    }
    child.kill('SIGQUIT')
    await exited
    server = null
    throw new Error(`postgres did not start on port ${port}:\n${output}`)
  }

  const stop = async () => {
    if (!server) return
    const { child, exited } = server
    server = null
    // SIGINT = "fast" shutdown: open sessions are cut, data is kept.
    if (child.exitCode === null) child.kill('SIGINT')
    await exited
  }

  // A crashed test runner must not leave a postmaster behind.
  const killOnExit = () => server?.child.kill('SIGQUIT')
  process.once('exit', killOnExit)

  try {
    await start()
  } catch (error) {
    rmSync(base, { recursive: true, force: true })
    throw error
  }
  return {
    url,
    port,
    dataDir,
    start,
    stop,
    async destroy() {
      await stop()
      process.removeListener('exit', killOnExit)
      rmSync(base, { recursive: true, force: true })
    },
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    if (process.argv.includes('--find')) {
      const found = findPostgresBinDir()
      if (found) console.log(found)
      else process.exitCode = 1
    } else if (process.argv.includes('--start')) {
      const postgres = await startPostgres({ durable: true })
      console.log(postgres.url)
      const shutdown = () => void postgres.destroy().then(() => process.exit(0))
      process.once('SIGINT', shutdown)
      process.once('SIGTERM', shutdown)
    } else {
      console.log(`PostgreSQL is installed: ${ensurePostgresInstalled()}`)
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  }
}
