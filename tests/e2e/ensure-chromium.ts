import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** Debian's chromium; `CHROMIUM_PATH` points elsewhere. Never a browser downloaded by a tool. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const INSTALL = 'apt-get update && apt-get install -y chromium'

/**
 * Makes sure chromium is installed: as root it runs apt-get, otherwise it fails with the command to
 * run. The e2e suite never skips for want of a browser.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${CHROMIUM_PATH} does not exist`)
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    throw new Error(
      `chromium is not installed at ${CHROMIUM_PATH}. Install it with:\n  sudo sh -c '${INSTALL}'\n(or set CHROMIUM_PATH to a Chromium binary)`,
    )
  }
  console.log(`[e2e] ${CHROMIUM_PATH} missing; running: ${INSTALL}`)
  const result = spawnSync('sh', ['-c', INSTALL], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  if (result.status !== 0 || !existsSync(CHROMIUM_PATH)) {
    throw new Error(`installing chromium failed (exit ${result.status ?? result.signal}); run: ${INSTALL}`)
  }
  return CHROMIUM_PATH
}

/** Flags for a headless run in a container: no sandbox, no GPU, no phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
