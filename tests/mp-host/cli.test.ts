import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { DIST_DIR } from './scenarios/paths'

const CLI = fileURLToPath(new URL('../../testkit/mp-host/cli.ts', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'mp-host-cli-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function cli(dist: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--dist', dist, '--page', 'pages/index/index', '--wait', '200'], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  })
  return { status: result.status, output: result.stdout + result.stderr }
}

describe('the host CLI (npx tsx testkit/mp-host/cli.ts --dist …)', { timeout: 30_000 }, () => {
  it('compiles every template and prints what the page shows over the fake wx', () => {
    const { status, output } = cli(DIST_DIR)
    expect(output).toMatch(/wcc: (\d+) of \1 template\(s\) compile/)
    expect(output).toContain('│ status: authenticated')
    expect(output).toContain('wx.login ×1')
    expect(status).toBe(0)
  })

  it('fails on a template wcc refuses', () => {
    const broken = join(scratch, 'mp-weixin')
    cpSync(DIST_DIR, broken, { recursive: true })
    writeFileSync(join(broken, 'pages/help/index.wxml'), '<view wx:elif="{{a}}">x</view>')
    const { status, output } = cli(broken)
    expect(output).toContain('wcc rejects pages/help/index.wxml')
    expect(status).toBe(1)
  })
})
