import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { uniPlatform as UniPlatform } from '../../src/uni/uni-host'

const root = join(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'uni-mp-auth-platforms-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function build(platform: string): string {
  const out = join(work, platform)
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')))
  const result = spawnSync('node', ['scripts/uni.mjs', 'build', '-p', platform], {
    cwd: root,
    encoding: 'utf8',
    env: { ...env, UNI_OUTPUT_DIR: out },
  })
  if (result.status !== 0) throw new Error(`uni build -p ${platform} failed:\n${result.stdout}\n${result.stderr}`)
  return out
}

/** Runs one compiled CommonJS module of the build and returns its exports. */
function load(file: string): Record<string, unknown> {
  const exports: Record<string, unknown> = {}
  new Function('exports', 'require', readFileSync(file, 'utf8'))(exports, () => ({}))
  return exports
}

// Other mini-programs: the demo builds, and the login provider is fixed at build time per target.
describe.each([
  ['mp-alipay', 'alipay'],
  ['mp-toutiao', 'toutiao'],
])('uni build -p %s', (platform, provider) => {
  it(`builds the demo and compiles in the "${provider}" login provider`, async () => {
    const out = build(platform)
    const { uniPlatform } = load(join(out, 'src/uni/uni-host.js')) as { uniPlatform: typeof UniPlatform }
    let asked: unknown
    const login = (options: Record<string, unknown>) => {
      asked = options.provider
      ;(options.success as (result: { code: string }) => void)({ code: 'c' })
    }
    await expect(uniPlatform({ login } as never).getCode()).resolves.toBe('c')
    expect(asked).toBe(provider)
    expect(readFileSync(join(out, 'app.json'), 'utf8')).toContain('pages/index/index')
  })
})
