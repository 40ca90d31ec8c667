#!/usr/bin/env node
// `npm run pack:all [-- <folder>]`: both tarballs, `uni-mp-auth-<version>.tgz` (the client) and
// `uni-mp-auth-server-<version>.tgz` (the reference backend), in one folder (default dist/packages),
// from a fresh clone. Until the packages are published, this is how an app installs them.
//
// A fresh clone has no node_modules, and `npm pack` builds with this repository's TypeScript: when
// the build tools are missing, this installs the locked dependencies first. `--ignore-scripts`
// skips the native build of better-sqlite3 (the packs need only the compilers); the demo and the
// tests need it, so run `npm rebuild` (or `npm ci`) before those.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = resolve(process.argv[2] ?? join(root, 'dist/packages'))
// What the two `prepack` builds run: TypeScript for both, the server's types from fastify.
const BUILD_TOOLS = ['node_modules/typescript/bin/tsc', 'node_modules/fastify/package.json']

/** Runs npm in the repository root; stdout is returned (for `--json`), everything else goes to stderr. */
function npm(args) {
  const result = spawnSync('npm', args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    // npm is npm.cmd on Windows, which only a shell can start.
    shell: process.platform === 'win32',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? '')
    console.error(`\npack:all: \`npm ${args.join(' ')}\` failed (exit code ${result.status}); see above.`)
    process.exit(result.status ?? 1)
  }
  return result.stdout
}

if (BUILD_TOOLS.some((file) => !existsSync(join(root, file)))) {
  console.error('pack:all: no build tools in node_modules yet: npm ci --ignore-scripts (locked versions, no native builds)')
  npm(['ci', '--ignore-scripts', '--no-audit', '--no-fund'])
}

mkdirSync(out, { recursive: true })
const tarballs = [
  ...JSON.parse(npm(['pack', '--json', '--pack-destination', out])),
  ...JSON.parse(npm(['pack', '--json', '--workspace', 'server', '--pack-destination', out])),
].map((packed) => join(out, packed.filename))
for (const tarball of tarballs) console.log(tarball)
