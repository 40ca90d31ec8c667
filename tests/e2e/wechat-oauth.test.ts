import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { BrowserContext, Page } from 'playwright-core'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { useBrowser } from './demo-page'
import './env'

const env = inject('e2e')
const browser = useBrowser(env)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Hosts that exist only inside the browser context: playwright answers them (no network here). */
const APP = 'https://h5.example.test'
const WECHAT = 'https://open.weixin.test'
const START = `${APP}/app/?from=menu#/pages/index/index`

/**
 * `uni-mp-auth/h5` in a real Chromium: the page asks `wechatOAuth()` for a code as the plugin does,
 * and shows the answer. Real `location.replace`, `history.replaceState`, `sessionStorage` and
 * `crypto`; WeChat's authorize page is played by a route that redirects back with `code` and
 * `state`, as WeChat does (query before the `#`).
 */
let script = ''
beforeAll(async () => {
  const result = await build({
    stdin: {
      contents: `import { wechatOAuth } from './src/h5/index.ts'
const oauth = wechatOAuth({ appId: 'wx-oa', authorizeBase: '${WECHAT}' })
oauth().then((code) => ({ code }), (error) => ({ error: error.code, message: error.message })).then((result) => {
  window.codeResult = result
})`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'silent',
  })
  script = result.outputFiles[0]!.text
})

interface CodeResult {
  code?: string
  error?: string
  message?: string
}

interface Tab {
  context: BrowserContext
  page: Page
  /** Every visit to WeChat's authorize page, as the URL it was asked for. */
  authorizeVisits: URL[]
  /** What the page's `getCode()` ended with (waits for it). */
  result(): Promise<CodeResult>
}

async function openTab(): Promise<Tab> {
  const context = await browser().newContext()
  const authorizeVisits: URL[] = []
  let codes = 0
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url())
    if (url.origin === APP) {
      return route.fulfill({ contentType: 'text/html', body: `<!DOCTYPE html><body><script>${script}</script></body>` })
    }
    if (url.origin === WECHAT && url.pathname === '/connect/oauth2/authorize') {
      authorizeVisits.push(url)
      const back = new URL(url.searchParams.get('redirect_uri') ?? '')
      back.searchParams.set('code', `wx-code-${++codes}`)
      back.searchParams.set('state', url.searchParams.get('state') ?? '')
      return route.fulfill({ status: 302, headers: { location: back.href } })
    }
    return route.abort('blockedbyclient')
  })
  const page = await context.newPage()
  return {
    context,
    page,
    authorizeVisits,
    // waitForFunction survives the page's navigations: the answer of the document that settles.
    result: async () =>
      (await (await page.waitForFunction(() => (window as unknown as { codeResult?: CodeResult }).codeResult)).jsonValue()) as CodeResult,
  }
}

describe('WeChat OAuth (uni-mp-auth/h5) in Chromium', () => {
  it('redirects with a random state, accepts the code it comes back with, takes code and state out of the address, never reuses a code and does not loop', async () => {
    const tab = await openTab()
    try {
      await tab.page.goto(START)
      // The first load leaves for WeChat; the document WeChat sends back answers.
      expect(await tab.result()).toEqual({ code: 'wx-code-1' })
      const [visit] = tab.authorizeVisits
      expect(visit?.searchParams.get('appid')).toBe('wx-oa')
      expect(visit?.searchParams.get('redirect_uri')).toBe(START)
      expect(visit?.searchParams.get('response_type')).toBe('code')
      expect(visit?.searchParams.get('scope')).toBe('snsapi_base')
      expect(visit?.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/)
      // `#wechat_redirect` never reaches a server (a fragment): the unit tests pin the exact address.
      expect(tab.page.url()).toBe(START)
      expect(await tab.page.evaluate(() => Object.keys(sessionStorage).some((key) => key.endsWith(':state')))).toBe(false)

      // A reload never resends the code (it is gone): it fetches a fresh one, once…
      await tab.page.reload()
      expect(await tab.result()).toEqual({ code: 'wx-code-2' })
      expect(tab.authorizeVisits).toHaveLength(2)
      // …and a page that keeps asking (its codes refused, say) gets a typed error, not a redirect loop.
      await tab.page.reload()
      expect(await tab.result()).toMatchObject({ error: 'LOGIN_PLATFORM_FAILED' })
      expect(tab.authorizeVisits).toHaveLength(2)
      expect(tab.page.url()).toBe(START)
    } finally {
      await tab.context.close()
    }
  })

  it('refuses a code whose state this tab never sent (a forged link), and cleans the address', async () => {
    const tab = await openTab()
    try {
      await tab.page.goto(`${APP}/app/?from=menu&code=stolen&state=${'f'.repeat(32)}#/pages/index/index`)
      const result = await tab.result()
      expect(result).toMatchObject({ error: 'LOGIN_PLATFORM_FAILED' })
      expect(result.message).toContain('state')
      expect(tab.page.url()).toBe(START)
      expect(tab.authorizeVisits).toHaveLength(0)
    } finally {
      await tab.context.close()
    }
  })
})
