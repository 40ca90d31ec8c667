import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packInTurn } from './pack-in-turn'

/**
 * `npm run pack:all`, the READMEs' way to get both packages until they are published: one folder
 * with the client's and the server's tarball, each holding every module the READMEs import.
 */
const root = join(import.meta.dirname, '../..')
const out = mkdtempSync(join(tmpdir(), 'uni-mp-auth-pack-all-'))
const READMES = ['README.md', 'README.zh-CN.md', 'server/README.md']

interface Manifest {
  name: string
  version: string
  exports: Record<string, { types?: string; import?: string } | string>
  bin?: Record<string, string>
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest
/** `@uni-mp-auth/server` packs as `uni-mp-auth-server-<version>.tgz`, as npm names scoped packages. */
const tarballName = (manifest: Manifest) => `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`

/** Every module specifier of `name` (the package or a subpath of it) imported in the READMEs' code. */
function importedFrom(name: string): string[] {
  const specifiers = new Set<string>()
  for (const readme of READMES) {
    const text = readFileSync(join(root, readme), 'utf8')
    for (const match of text.matchAll(/from '([^']+)'/g)) {
      const specifier = match[1]!
      if (specifier === name || specifier.startsWith(`${name}/`)) specifiers.add(specifier)
    }
  }
  return [...specifiers].sort()
}

/** The files a tarball holds, without npm's `package/` prefix. */
const listing = (tarball: string) =>
  execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ''))

let printed: string[]

beforeAll(async () => {
  // The test runner's own variables would switch the builds' modes.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')))
  printed = (await packInTurn(() => execFileSync(process.execPath, ['scripts/pack.mjs', out], { cwd: root, env, encoding: 'utf8' })))
    .trim()
    .split('\n')
}, 300_000)

afterAll(() => rmSync(out, { recursive: true, force: true }))

describe.each([
  { dir: '.', manifest: manifestOf('.') },
  { dir: 'server', manifest: manifestOf('server') },
])('npm run pack:all: $manifest.name', ({ manifest }) => {
  const tarball = join(out, tarballName(manifest))

  it('writes the tarball into the one folder and prints its path', () => {
    expect(readdirSync(out).sort()).toEqual([tarballName(manifestOf('.')), tarballName(manifestOf('server'))].sort())
    expect(printed).toContain(tarball)
  })

  it('holds every module the READMEs import, with its types', () => {
    const files = listing(tarball)
    const specifiers = importedFrom(manifest.name)
    expect(specifiers.length).toBeGreaterThan(0)
    for (const specifier of specifiers) {
      const entry = manifest.exports[`.${specifier.slice(manifest.name.length)}`]
      expect(entry, `${specifier} is not exported by ${manifest.name}`).toBeTypeOf('object')
      const { types, import: module } = entry as { types?: string; import?: string }
      expect(files, specifier).toContain(module?.replace(/^\.\//, ''))
      expect(files, specifier).toContain(types?.replace(/^\.\//, ''))
    }
    for (const bin of Object.values(manifest.bin ?? {})) expect(files).toContain(bin)
  })
})
