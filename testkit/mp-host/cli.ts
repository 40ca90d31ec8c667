/**
 * Runs a compiled mp-weixin build in the host, one command, no test to write:
 *
 *   npx tsx testkit/mp-host/cli.ts --dist dist/build/mp-weixin [--api https://api.example.com] [--page pages/a/index] [--wait 1000]
 *
 * Compiles every `.wxml` with WeChat's `wcc`, then launches the app once per page of app.json (or the
 * `--page` given) over the fake `wx` and fake backend, lets it run for `--wait` ms of real time, and
 * prints what each page shows (rendered by WeChat's framework) and what the app asked of `wx`. Exits
 * 1 when a template does not compile, a launch throws, or the app leaves an unhandled rejection.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createFakeBackend, createMpHost, type MpHost } from './index'
import { compileWxml } from './simulator'

interface DomElement {
  readonly localName: string
  readonly textContent: string
  readonly children: ArrayLike<DomElement>
}

const { values } = parseArgs({
  options: {
    dist: { type: 'string' },
    api: { type: 'string', default: 'http://127.0.0.1:3000' },
    page: { type: 'string', multiple: true },
    wait: { type: 'string', default: '1000' },
  },
})
if (!values.dist) {
  console.error(
    'usage: npx tsx testkit/mp-host/cli.ts --dist <your mp-weixin build> [--api <API base URL>] [--page <route>]… [--wait <ms>]',
  )
  process.exit(2)
}
const distDir = resolve(values.dist)
const waitMs = Number(values.wait)
let failed = false
const rejections: unknown[] = []
process.on('unhandledRejection', (reason) => rejections.push(reason))

const templates = readdirSync(distDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.wxml'))
let refused = 0
for (const file of templates) {
  try {
    compileWxml(distDir, file.replaceAll('\\', '/'))
  } catch (error) {
    refused += 1
    console.log(`✗ ${(error as Error).message}`)
  }
}
console.log(`wcc: ${templates.length - refused} of ${templates.length} template(s) compile`)
failed = refused > 0

const { pages } = JSON.parse(readFileSync(join(distDir, 'app.json'), 'utf8')) as { pages: string[] }
for (const route of values.page ?? pages) {
  const host = createMpHost({ distDir, backend: createFakeBackend({ baseUrl: values.api }), launchOptions: { path: route } })
  try {
    host.launch()
    await host.advance(waitMs)
    report(route, host)
  } catch (error) {
    failed = true
    console.log(`\n✗ ${route}: ${(error as Error).stack ?? String(error)}`)
  } finally {
    host.dispose()
  }
}
for (const reason of rejections) console.log(`\n✗ unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`)
process.exit(failed || rejections.length > 0 ? 1 : 0)

function report(route: string, host: MpHost): void {
  const top = host.current
  const dom = (host.runtime.viewOf(top.instance) as unknown as { $$: DomElement }).$$
  console.log(`\n▶ launched into ${route}; on top: ${host.stack.join(' / ')}`)
  for (const line of leafTexts(dom)) console.log(`  │ ${line}`)
  const requests = host.fake.calls.of('request')
  const withToken = requests.filter((call) =>
    /^Bearer /.test(String((call.args[0] as { header?: Record<string, string> }).header?.Authorization)),
  ).length
  console.log(
    `  wx.login ×${host.fake.calls.count('login')}, wx.request ×${requests.length} (${withToken} with a Bearer token), ` +
      `backend: ${host.backend.counts.logins} login(s), ${host.backend.counts.unauthorized} answered 401`,
  )
}

/** The text of every element without child elements, in document order: roughly a page's lines. */
function leafTexts(element: DomElement): string[] {
  const children = Array.from(element.children)
  if (children.length === 0) return element.textContent.trim() ? [element.textContent.trim()] : []
  return children.flatMap(leafTexts)
}
