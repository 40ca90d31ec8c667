import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeBackend, createMpHost, type MpHost } from '../../testkit/mp-host'

const root = join(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'uni-mp-auth-interop-'))
const dist = join(work, 'mp-weixin')

beforeAll(() => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')))
  const result = spawnSync('node', ['scripts/uni.mjs', 'build', '-p', 'mp-weixin'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...env, UNI_INPUT_DIR: join(root, 'tests/package/interop-app'), UNI_OUTPUT_DIR: dist },
  })
  if (result.status !== 0) throw new Error(`interop app build failed:\n${result.stdout}\n${result.stderr}`)
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const requestsTo = (host: MpHost, path: string) =>
  host.fake.calls.of('request').filter((c) => String((c.args[0] as { url: string }).url).endsWith(path))
const authOf = (call: { args: readonly unknown[] }) => (call.args[0] as { header?: Record<string, string> }).header?.Authorization

// Request libraries users already have, unchanged, in the compiled mini-program.
describe.each([
  ['luch-request', 'luch', 'luch-result', 'ok 200'],
  ['alova + @alova/adapter-uniapp', 'alova', 'alova-result', 'ok'],
])('%s through the auth interceptor', (_, button, result, ok) => {
  it('waits for the session at cold start and sends the token', async () => {
    const host = createMpHost({ distDir: dist, backend: createFakeBackend() })
    try {
      const page = host.launch()
      page.tap(button)
      page.tap(button)
      await host.until(() => page.text(result) === ok, { what: `${button} succeeded` })
      expect(host.fake.calls.count('login')).toBe(1)
      const me = requestsTo(host, '/me')
      expect(me.length).toBeGreaterThanOrEqual(1)
      expect(me.every((c) => authOf(c)?.startsWith('Bearer '))).toBe(true)
    } finally {
      host.dispose()
    }
  })

  it('recovers from a 401 with one relogin and one replay, invisible to the library', async () => {
    const backend = createFakeBackend()
    const host = createMpHost({ distDir: dist, backend })
    try {
      const page = host.launch()
      page.tap(button)
      await host.until(() => page.text(result) === ok, { what: 'first call' })
      backend.revokeAll()
      const before = requestsTo(host, '/me').length
      page.tap(button)
      await host.until(() => requestsTo(host, '/me').length === before + 2, { what: '401 then replay' })
      await host.until(() => page.text(result) === ok, { what: `${button} succeeded after replay` })
      const [rejected, replayed] = requestsTo(host, '/me').slice(before)
      expect(authOf(rejected!)).not.toBe(authOf(replayed!))
      expect(host.fake.calls.count('login')).toBe(2)
    } finally {
      host.dispose()
    }
  })
})
