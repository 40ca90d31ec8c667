import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { builtinModules } from 'node:module'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMockWechat, type MockWechat } from '../../mock-wechat/app.js'
import { TEST_APPID, TEST_JWT_SECRET, TEST_SECRET } from '../helpers/harness.js'
import { type PackedServer, packServer } from '../helpers/pack-server.js'

const serverDir = join(import.meta.dirname, '../..')
const repoModules = join(serverDir, '../node_modules')
const work = mkdtempSync(join(tmpdir(), 'uma-server-pack-'))
const app = join(work, 'team-app')

function run(command: string, args: string[], cwd: string): string {
  // The runner's own variables (VITEST, NODE_OPTIONS …) must not leak into npm or the scratch app.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'))
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

let packed: PackedServer
let manifest: {
  private?: boolean
  exports: unknown
  bin: Record<string, string>
  dependencies: Record<string, string>
  peerDependencies: Record<string, string>
}
let mock: MockWechat
let child: ChildProcess | undefined
let baseUrl: string

/** Bare package names imported by the compiled files, e.g. `@fastify/cors`, `jose`. */
function importedPackages(dir: string): Set<string> {
  const names = new Set<string>()
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.js')) continue
    for (const [, specifier] of readFileSync(join(dir, entry), 'utf8').matchAll(/\bfrom\s+'([^'.][^']*)'/g)) {
      const parts = specifier!.split('/')
      names.add(specifier!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!)
    }
  }
  return names
}

beforeAll(async () => {
  // `npm pack` runs `prepack`: the build emitting dist/ (JS + .d.ts).
  packed = await packServer(work)
  mkdirSync(join(app, 'src'), { recursive: true })
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'team-app', private: true, type: 'module' }))
  // Scripts skipped: better-sqlite3 would compile its native addon, and this app brings its own store.
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', packed.tarball, 'fastify@5'], app)
  manifest = JSON.parse(readFileSync(join(app, 'node_modules/@uni-mp-auth/server/package.json'), 'utf8'))
  for (const file of ['app.ts', 'memory-store.ts'])
    copyFileSync(join(import.meta.dirname, '../package/scratch', file), join(app, 'src', file))
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        // Checks the package's own .d.ts files too, not just their use.
        skipLibCheck: false,
        rootDir: 'src',
        outDir: 'dist',
        types: ['node'],
        typeRoots: [join(repoModules, '@types')],
      },
      include: ['src'],
    }),
  )
  run(process.execPath, [join(repoModules, 'typescript/bin/tsc'), '-p', 'tsconfig.json'], app)

  mock = buildMockWechat({ appId: TEST_APPID, secret: TEST_SECRET })
  const apiBase = await mock.app.listen({ host: '127.0.0.1', port: 0 })
  const started = spawn(process.execPath, ['dist/app.js', apiBase, TEST_APPID, TEST_SECRET, TEST_JWT_SECRET], {
    cwd: app,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  child = started
  baseUrl = await new Promise<string>((resolve, reject) => {
    started.once('exit', (code) => reject(new Error(`the team app exited with ${code}`)))
    createInterface({ input: started.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url))
  })
})

afterAll(async () => {
  child?.removeAllListeners('exit')
  child?.kill('SIGTERM')
  await mock?.app.close()
  rmSync(work, { recursive: true, force: true })
})

describe('the packed @uni-mp-auth/server', () => {
  it('ships the compiled JS with its .d.ts (the mock’s JS too) and its documents, nothing else', () => {
    const paths = packed.files.map((f) => f.path)
    expect(paths).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/main.js', 'dist/mock-wechat/main.js', 'README.md', 'LICENSE']),
    )
    expect(paths.filter((p) => !/^(dist\/.+\.(js|d\.ts)|package\.json|README\.md|LICENSE)$/.test(p))).toEqual([])
  })

  it('is publishable: not private, typed exports, fastify as a peer, every import declared', () => {
    expect(manifest.private).toBeUndefined()
    expect(manifest.exports).toMatchObject({ '.': { types: './dist/index.d.ts', import: './dist/index.js' } })
    expect(Object.keys(manifest.peerDependencies)).toEqual(['fastify'])
    // The server, and the mock for development (the README's dev path from the package).
    expect(manifest.bin).toEqual({ 'uni-mp-auth-server': 'dist/main.js', 'uni-mp-auth-mock': 'dist/mock-wechat/main.js' })
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)])
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))
    const undeclared = [...importedPackages(join(app, 'node_modules/@uni-mp-auth/server/dist'))].filter(
      (name) => !declared.has(name) && !builtins.has(name),
    )
    expect(undeclared).toEqual([])
  })

  it('mounted in a team’s fastify app (its own config, store and routes): login, a guarded route, logout', async () => {
    const { code } = mock.state.mintLoginCode({})
    const login = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    })
    expect(login.status).toBe(200)
    const session = (await login.json()) as { token: string; refreshToken: string; user: { id: string } }
    const auth = { authorization: `Bearer ${session.token}` }

    const orders = await fetch(`${baseUrl}/orders`, { headers: auth })
    expect(await orders.json()).toEqual({ owner: session.user.id })
    const anonymous = await fetch(`${baseUrl}/orders`)
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toEqual({ team: true, code: 'AUTH_TOKEN_MISSING' })

    expect((await fetch(`${baseUrl}/api/auth/logout`, { method: 'POST', headers: auth })).status).toBe(204)
    const refresh = await fetch(`${baseUrl}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    })
    expect(refresh.status).toBe(401)
  })
})
