import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeBackend, createMpHost } from '../../testkit/mp-host'
import { SCRATCH_API, writeScratchApp } from './scratch-app'
import { packInTurn } from './pack-in-turn'

const root = join(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'uni-mp-auth-pack-'))

function sh(command: string, args: string[], env: Record<string, string> = {}) {
  // The test runner's own variables would switch vite.config.ts into its vitest mode.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')))
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...clean, ...env } })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

interface PackResult {
  filename: string
  files: Array<{ path: string }>
}

let packed: PackResult
let manifest: Record<string, unknown>
let dist: string

beforeAll(async () => {
  // `npm pack` runs `prepack`, i.e. the library build.
  const [result] = JSON.parse(await packInTurn(() => sh('npm', ['pack', '--json', '--pack-destination', work]))) as PackResult[]
  packed = result!
  const app = join(work, 'app')
  const pluginDir = writeScratchApp(app, join(root, 'node_modules'))
  mkdirSync(pluginDir, { recursive: true })
  sh('tar', ['-xzf', join(work, packed.filename), '-C', pluginDir, '--strip-components=1'])
  manifest = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8')) as Record<string, unknown>
  dist = join(app, 'dist/mp-weixin')
  sh('node', ['scripts/uni.mjs', 'build', '-p', 'mp-weixin'], { UNI_INPUT_DIR: app, UNI_OUTPUT_DIR: dist })
})

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the packed package', () => {
  it('ships only the compiled library and its documents', () => {
    const paths = packed.files.map((f) => f.path)
    expect(paths).toContain('dist/lib/index.js')
    expect(paths).toContain('dist/lib/index.d.ts')
    // .vue: the timeline component ships as a single-file component for the app's own build.
    const allowed = /^(dist\/lib\/.+\.(js|d\.ts|vue)|package\.json|README(\.zh-CN)?\.md|LICENSE|CHANGELOG\.md)$/
    expect(paths.filter((p) => !allowed.test(p))).toEqual([])
  })

  it('has no runtime dependencies beyond its peers', () => {
    expect(manifest.dependencies ?? {}).toEqual({})
    expect(Object.keys(manifest.peerDependencies as object).sort()).toEqual(['@dcloudio/uni-app', 'pinia', 'vue'])
    expect(manifest.exports).toMatchObject({
      '.': { types: './dist/lib/index.d.ts', import: './dist/lib/index.js' },
      './testing': { types: './dist/lib/testing/index.d.ts', import: './dist/lib/testing/index.js' },
    })
    expect(packed.files.map((f) => f.path)).toContain('dist/lib/testing/index.js')
  })

  it('is valid ESM for Node: every entry point but the timeline (a .vue file) imports in plain Node', () => {
    const script = [
      "const main = await import('uni-mp-auth')",
      "const testing = await import('uni-mp-auth/testing')",
      "const guard = await import('uni-mp-auth/guard')",
      "const phone = await import('uni-mp-auth/phone')",
      "const h5 = await import('uni-mp-auth/h5')",
      "const shim = await import('uni-mp-auth/testing/uni-app')",
      'console.log(JSON.stringify([main, testing, guard, phone, h5, shim].map((m) => Object.keys(m).sort())))',
    ].join('\n')
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(work, 'app'), encoding: 'utf8' })
    expect(result.stderr).toBe('')
    const [main, testing, guard, phone, h5, shim] = JSON.parse(result.stdout) as string[][]
    expect(main).toEqual(expect.arrayContaining(['createUniAuth', 'useAuth', 'useAuthLifecycle', 'AuthError', 'DEFAULTS']))
    expect(testing).toEqual(['createTestingAuth'])
    expect(guard).toEqual(['createAuthGuard', 'pagesNeedingLogin'])
    expect(phone).toEqual(['bindPhone'])
    expect(h5).toEqual(['wechatOAuth'])
    expect(shim).toEqual(expect.arrayContaining(['onLaunch', 'onLoad', 'fireLifecycle']))
  })

  it('installed into a scratch uni-app, builds for mp-weixin and logs in once in the mini-program host', async () => {
    const host = createMpHost({ distDir: dist, backend: createFakeBackend({ baseUrl: SCRATCH_API }) })
    try {
      const page = host.launch()
      await host.until(() => page.text('me') === '200', { what: 'GET /me answered 200' })
      expect(page.text('status')).toBe('authenticated')
      expect(host.fake.calls.count('login')).toBe(1)
      const me = host.fake.calls.of('request').find((c) => String((c.args[0] as { url: string }).url).endsWith('/me'))
      expect(me?.args[0]).toMatchObject({ header: { Authorization: expect.stringMatching(/^Bearer /) } })
    } finally {
      host.dispose()
    }
  })
})

describe('the uni_modules layout for the DCloud plugin market', () => {
  const plugin = join(root, 'dist/uni_modules/uni-mp-auth')

  it('is generated by the same build, with the plugin-market fields', () => {
    const json = JSON.parse(readFileSync(join(plugin, 'package.json'), 'utf8')) as Record<string, unknown>
    expect(json).toMatchObject({ id: 'uni-mp-auth', main: 'js_sdk/index.js', dcloudext: { type: 'sdk-js' } })
    expect(json.uni_modules).toMatchObject({ platforms: { client: { Vue: { vue3: 'y' } } } })
    expect(readFileSync(join(plugin, 'js_sdk/index.js'), 'utf8')).toContain('createUniAuth')
    expect(readFileSync(join(plugin, 'readme.md'), 'utf8')).toContain('uni-mp-auth')
    expect(readFileSync(join(plugin, 'changelog.md'), 'utf8')).toContain(json.version as string)
  })
})
