import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { compileWxml, WxmlCompileError } from '../../testkit/mp-host/index'
import { DIST_DIR } from './scenarios/paths'

/** Every `.wxml` under `dir`, relative to it. */
function wxmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.wxml'))
    .map((file) => file.replaceAll('\\', '/'))
    .sort()
}

describe("WeChat's WXML compiler (wcc) on the demo build", () => {
  const files = wxmlFiles(DIST_DIR)

  it('finds the pages and the components', () => {
    expect(files).toEqual(expect.arrayContaining(['pages/index/index.wxml', 'pages/login/index.wxml', 'src/timeline/AuthTimeline.wxml']))
  })

  it.each(files)('compiles %s', (file) => {
    expect(() => compileWxml(DIST_DIR, file)).not.toThrow()
  })
})

describe('wcc refuses templates the old hand-written parser read without complaint', () => {
  const fixtures = fileURLToPath(new URL('fixtures/malformed-wxml', import.meta.url))

  it.each([
    ['unclosed-binding.wxml', /unexpected end/],
    ['elif-without-if.wxml', /wx:if not found/],
  ])('%s', (file, message) => {
    const compile = () => compileWxml(fixtures, file)
    expect(compile).toThrow(WxmlCompileError)
    expect(compile).toThrow(message)
  })
})
