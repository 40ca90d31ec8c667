import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { serveStatic } from '../../scripts/static-server.mjs'
import { CHROMIUM_ARGS, ensureChromium } from '../e2e/ensure-chromium'
import { createFakeBackend, createMpHost } from '../../testkit/mp-host'
import { runH5DevPath } from './readme-h5-dev'
import { packInTurn } from './pack-in-turn'

/**
 * The README is tested: its code blocks marked `<!-- readme-test: <file> -->` (in both languages)
 * become a brand-new uni-app: the template files of "Start a new uni-app project" (Vue 3, Vite, src/
 * layout, this repository's uni-app versions) and the app's own, which installs the packed package
 * with the README's own install command. Then: a resolve without lockfile succeeds, the app
 * type-checks, builds for mp-weixin and H5, shows the user from /me in the mini-program host and in
 * Chromium with its requests carrying the token, logs in on the H5 dev server through the documented
 * dev code source against the reference backend, and the testing example passes in its own vitest.
 */
const root = join(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'uni-mp-auth-readme-'))
const repoPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
const API = 'https://api.example.com'

type Blocks = Map<string, string>

/** The marked code blocks of a README: file (or `install`, `install-dev`) → code. */
function readmeBlocks(file: string): Blocks {
  const text = readFileSync(join(root, file), 'utf8')
  const blocks: Blocks = new Map()
  for (const match of text.matchAll(/<!-- readme-test: (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```/g)) {
    blocks.set(match[1]!, `${match[2]!}\n`)
  }
  return blocks
}

const versionOf = (name: string) => {
  const version = repoPackage.devDependencies[name]
  if (!version) throw new Error(`${name} is not a devDependency of this repository`)
  return version
}

function write(dir: string, path: string, content: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true })
  writeFileSync(join(dir, path), content)
}

/** The environment without this test runner's own variables (they would switch the nested tools' modes). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('VITEST') && !['NODE_ENV', 'TEST', 'MODE', 'DEV', 'PROD', 'SSR'].includes(key),
    ),
  )
}

const run = promisify(execFile)

/** Runs a shell command; async, so the test worker keeps answering vitest while npm and uni work. */
async function sh(cwd: string, command: string, env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run('sh', ['-c', command], { cwd, env: { ...cleanEnv(), ...env }, maxBuffer: 64 * 1024 * 1024 })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`${command} (in ${cwd}) failed:\n${stdout ?? ''}\n${stderr ?? ''}`)
  }
}

interface ReadmeApp {
  lang: string
  dir: string
  blocks: Blocks
}

/** The files of "Start a new uni-app project" (what the official template gives). */
const TEMPLATE = ['package.json', 'vite.config.ts', 'index.html', 'tsconfig.json', 'src/env.d.ts', 'src/manifest.json', 'src/pages.json']
const INSTALL_FLAGS = '--prefer-offline --no-audit --no-fund'

const apps: ReadmeApp[] = [
  { lang: 'README.md', dir: join(work, 'en'), blocks: readmeBlocks('README.md') },
  { lang: 'README.zh-CN.md', dir: join(work, 'zh'), blocks: readmeBlocks('README.zh-CN.md') },
]

beforeAll(async () => {
  const [en, zh] = apps as [ReadmeApp, ReadmeApp]
  const packed = JSON.parse((await packInTurn(() => sh(root, `npm pack --json --pack-destination ${work}`))).stdout) as [
    { filename: string },
  ]
  const tarball = join(work, packed[0].filename)
  for (const app of apps) {
    for (const [file, code] of app.blocks) if (!file.startsWith('install')) write(app.dir, file, code)
  }
  // The user's first step: a fresh template installs its own dependencies.
  await sh(en.dir, `npm install ${INSTALL_FLAGS}`)
  // Then the README's commands, verbatim but for the package name, which points at the tarball.
  for (const step of ['install', 'install-dev']) {
    const command = en.blocks.get(step)?.trim()
    if (!command) throw new Error(`README.md has no "${step}" block`)
    await sh(en.dir, `${command.replace(/\buni-mp-auth\b/, tarball)} ${INSTALL_FLAGS}`)
  }
  symlinkSync(join(en.dir, 'node_modules'), join(zh.dir, 'node_modules'))
}, 600_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the README', () => {
  it('marks the same blocks, with the same commands, in both languages', () => {
    const [en, zh] = apps as [ReadmeApp, ReadmeApp]
    expect([...zh.blocks.keys()]).toEqual([...en.blocks.keys()])
    expect([...en.blocks.keys()]).toEqual(
      expect.arrayContaining([
        ...TEMPLATE,
        'install',
        'src/main.ts',
        'src/h5-code.ts',
        'src/App.vue',
        'src/pages/index/index.vue',
        'vitest.config.mts',
        'install-dev',
      ]),
    )
    expect(zh.blocks.get('install')).toBe(en.blocks.get('install'))
    expect(zh.blocks.get('install-dev')).toBe(en.blocks.get('install-dev'))
    for (const file of TEMPLATE) expect(zh.blocks.get(file), file).toBe(en.blocks.get(file))
  })

  it('starts from a template with the uni-app, vue and tool versions this repository builds with', () => {
    const template = JSON.parse(apps[0]!.blocks.get('package.json') ?? '{}') as Record<string, Record<string, string>>
    const pinned = { ...template.dependencies, ...template.devDependencies }
    expect(Object.keys(pinned)).toEqual(
      expect.arrayContaining(['@dcloudio/uni-app', '@dcloudio/uni-mp-weixin', '@dcloudio/vite-plugin-uni', 'vue']),
    )
    for (const [name, version] of Object.entries(pinned)) expect(version, name).toBe(versionOf(name))
  })

  it('resolves again without the lockfile and node_modules (a teammate, CI): no ERESOLVE, the same pinia', async () => {
    // What the install commands saved, in a fresh folder next to the app (the tarball's relative path holds).
    const fresh = join(work, 'fresh')
    mkdirSync(fresh)
    copyFileSync(join(apps[0]!.dir, 'package.json'), join(fresh, 'package.json'))
    await sh(fresh, `npm install --package-lock-only ${INSTALL_FLAGS}`)
    const lock = JSON.parse(readFileSync(join(fresh, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> }
    expect(lock.packages['node_modules/pinia']?.version).toBe('2.1.7')
    expect(lock.packages['node_modules/vue']?.version).toBe(versionOf('vue'))
  })
})

describe.each(apps)('$lang in a fresh uni-app', (app) => {
  it('installs the package with a pinia that fits uni-app’s vue', () => {
    const pinia = JSON.parse(readFileSync(join(app.dir, 'node_modules/pinia/package.json'), 'utf8')) as { version: string }
    const vue = JSON.parse(readFileSync(join(app.dir, 'node_modules/vue/package.json'), 'utf8')) as { version: string }
    expect(vue.version).toBe(versionOf('vue'))
    expect(pinia.version).toBe('2.1.7')
  })

  it('type-checks: every marked snippet against the published types', async () => {
    await sh(app.dir, 'npx vue-tsc --noEmit -p tsconfig.json')
  })

  it('mp-weixin: builds, renders in the mini-program host without an error, and its requests carry the token', async () => {
    const dist = join(app.dir, 'dist/mp-weixin')
    await sh(app.dir, 'npx uni build -p mp-weixin', { UNI_OUTPUT_DIR: dist })
    const backend = createFakeBackend({ baseUrl: API })
    const me: string[] = []
    const host = createMpHost({
      distDir: dist,
      backend,
      behaviour: {
        http: (request) => {
          // Recorded, then answered by the fake backend's own GET /me.
          if (request.url.startsWith(`${API}/me`)) me.push(request.header.Authorization ?? '')
          return undefined
        },
      },
    })
    const errors = vi.spyOn(console, 'error')
    const warnings = vi.spyOn(console, 'warn')
    try {
      const page = host.launch()
      await host.until(() => page.text('user') === 'user: u1' || page.text('problem') !== null, { what: 'the user on the page' })
      expect(page.text('problem')).toBeNull()
      expect(page.text('user')).toBe('user: u1')
      expect(page.text('status')).toBe('status: authenticated')
      expect(me).toEqual([`Bearer ${backend.latestToken()}`])
      expect(host.fake.calls.count('login')).toBe(1)
      expect(errors).not.toHaveBeenCalled()
      expect(warnings).not.toHaveBeenCalled()
    } finally {
      host.dispose()
    }
  })

  it('H5: builds with the README’s getCode, renders in Chromium, and its requests carry the token', async () => {
    const dist = join(app.dir, 'dist/h5')
    await sh(app.dir, 'npx uni build', { UNI_OUTPUT_DIR: dist })
    const server: Server = serveStatic(dist)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS })
    try {
      const page = await browser.newPage()
      const problems: string[] = []
      page.on('pageerror', (error) => problems.push(error.message))
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
      })
      const seen: Array<{ path: string; code?: string; authorization?: string }> = []
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': '*' }
      await page.route(`${API}/**`, async (route) => {
        const request = route.request()
        if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors })
        const path = new URL(request.url()).pathname
        const body = request.postDataJSON() as { code?: string } | null
        seen.push({ path, code: body?.code, authorization: request.headers().authorization })
        if (path === '/auth/login') return route.fulfill({ status: 200, headers: cors, json: { token: 'h5-token', expiresIn: 3600 } })
        const ok = request.headers().authorization === 'Bearer h5-token'
        return route.fulfill({ status: ok ? 200 : 401, headers: cors, json: ok ? { user: { id: 'h5-user' } } : {} })
      })
      // Everything else (uni's CDN assets) stays offline here.
      await page.route(
        (url) => url.hostname !== '127.0.0.1' && !url.href.startsWith(API),
        (route) => route.abort(),
      )
      const { port } = server.address() as { port: number }
      await page.goto(`http://127.0.0.1:${port}/?code=oauth-code#/`)
      await page
        .waitForFunction(() => document.querySelector('#user')?.textContent?.includes('user: h5-user'), null, { timeout: 15_000 })
        .catch(() => {
          throw new Error(
            `the page never showed its user; page errors and warnings: ${JSON.stringify(problems)}; API calls: ${JSON.stringify(seen)}`,
          )
        })
      expect(await page.$('#problem')).toBeNull()
      expect(((await page.textContent('#status')) ?? '').trim()).toBe('status: authenticated')
      expect(seen).toEqual([
        { path: '/auth/login', code: 'oauth-code', authorization: undefined },
        { path: '/me', code: undefined, authorization: 'Bearer h5-token' },
      ])
      expect(problems).toEqual([])
    } finally {
      await browser.close()
      server.close()
    }
  })

  it('H5 dev server: the documented dev code source logs in against the reference backend and its mock WeChat API', async () => {
    const result = await runH5DevPath({
      appDir: app.dir,
      modules: join(apps[0]!.dir, 'node_modules'),
      work: join(work, `dev-${app.lang}`),
      env: cleanEnv(),
    })
    expect(result.problem, JSON.stringify(result)).toBeNull()
    expect(result.status).toBe('status: authenticated')
    expect(result.user).toMatch(/^user: \S+$/)
    expect(result.user).toBe(`user: ${result.userId}`)
    // One code minted by the mock, one login, and /me with the token it granted.
    expect(result.calls).toEqual(['POST /auth/login 200', 'GET /me 200'])
    expect(result.pageErrors).toEqual([])
  })

  it('the testing section’s example passes in the app’s own vitest, without a warning', async () => {
    const result = await sh(app.dir, 'npx vitest run --reporter=json --outputFile=vitest-report.json')
    expect(result.stderr).not.toMatch(/CJS build|deprecated/)
    const report = JSON.parse(readFileSync(join(app.dir, 'vitest-report.json'), 'utf8')) as {
      numPassedTests: number
      numFailedTests: number
    }
    expect(report, result.stdout).toMatchObject({ numPassedTests: 1, numFailedTests: 0 })
  })
})
