#!/usr/bin/env node
// Makes a throwaway redis-server available for the Redis store tests.
// - `redis-server` missing: installs the Debian package when running as root,
//   otherwise exits non-zero with the exact command to run.
// - startRedis() starts one on a free loopback port without persistence.
// CLI: `node scripts/ensure-redis.mjs` only ensures it is installed;
//      `node scripts/ensure-redis.mjs --start` also runs one in the foreground and prints its URL.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { connect } from 'node:net'
import { pathToFileURL } from 'node:url'
import { freePort } from './free-port.mjs'

const INSTALL_COMMAND = 'apt-get update && apt-get install -y redis-server'

function hasRedisServer() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
}

/** Throws with the exact install command when it cannot install it itself. */
export function ensureRedisInstalled() {
  if (hasRedisServer()) return
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(`redis-server is not installed and this is not root. Run:\n  sudo sh -c '${INSTALL_COMMAND}'`)
  }
  console.error(`[ensure-redis] redis-server missing, running: ${INSTALL_COMMAND}`)
  execFileSync('sh', ['-c', INSTALL_COMMAND], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  if (!hasRedisServer()) throw new Error('redis-server still not on PATH after installing the Debian package')
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let reply = ''
    socket.once('error', () => resolve(false))
    socket.on('data', (chunk) => {
      reply += chunk
      if (reply.includes('\r\n')) {
        socket.destroy()
        resolve(reply.startsWith('+PONG'))
      }
    })
    socket.once('connect', () => socket.write('PING\r\n'))
  })
}

/** Starts redis-server on a free loopback port; resolves `{ url, stop }` once it answers PING. */
export async function startRedis({ timeoutMs = 10_000 } = {}) {
  ensureRedisInstalled()
  let lastError
  // The port may be taken between choosing and binding it: try a few.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort()
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const exited = new Promise((resolve) => child.once('exit', () => resolve(true)))
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break
      if (await ping(port)) {
        const stop = async () => {
          if (child.exitCode === null) {
            child.kill('SIGTERM')
            await exited
          }
        }
        return { url: `redis://127.0.0.1:${port}`, port, stop }
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    child.kill('SIGKILL')
    lastError = new Error(`redis-server did not start on port ${port}:\n${output}`)
  }
  throw lastError
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    if (process.argv.includes('--start')) {
      const redis = await startRedis()
      console.log(redis.url)
      const shutdown = () => void redis.stop().then(() => process.exit(0))
      process.once('SIGINT', shutdown)
      process.once('SIGTERM', shutdown)
    } else {
      ensureRedisInstalled()
      console.log('redis-server is installed')
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  }
}
