import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import type { BackendCall, E2eEnv } from './env'

/** One request the page sent, as the browser saw it. */
export interface PageCall {
  method: string
  /** `api`, `mock` or `web`: which server it went to. */
  target: 'api' | 'mock' | 'web' | 'other'
  path: string
  authorization: string | undefined
  /** The request body as sent (the login's `{ code, platform, appId }`). */
  body: string | undefined
  status: number | undefined
  /** Response body when it was JSON (login/refresh/avatar answers), for token checks. */
  json: unknown
  sentAt: number
  answeredAt: number | undefined
  /** Set when the request failed at the network level (no response). */
  failed: string | undefined
}

export interface DemoPage {
  context: BrowserContext
  page: Page
  /** Every request of the page, in the order sent; CORS preflights are not requests of the page. */
  calls: PageCall[]
  /** The backend calls since `mark`, `METHOD /path` filtered. */
  apiCalls(method: string, path: string, since?: number): PageCall[]
  text(selector: string): Promise<string>
  log(): Promise<string[]>
  /**
   * Waits until every request seen so far has its response (and JSON body) recorded: playwright
   * reports those asynchronously, possibly after the page has already shown the outcome.
   */
  settle(): Promise<void>
  screenshot(name: string): Promise<void>
  close(): Promise<void>
}

/** The test file's browser: connected before its tests, closed after them. Call at the file's top level. */
export function useBrowser(env: E2eEnv): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await chromium.connect(env.wsEndpoint)
  })
  afterAll(async () => {
    await browser?.close()
  })
  return () => {
    if (!browser) throw new Error('the browser is connected in beforeAll: use it inside a test')
    return browser
  }
}

/** A fresh browser context (empty storage = a phone that never ran the app) on the demo page. */
export interface DemoOptions {
  /** Open the page at once. @default true */
  goto?: boolean
  /** Which build of the demo: `env.oauthWebUrl` for the WeChat OAuth one. @default env.webUrl */
  webUrl?: string
}

export async function openDemo(browser: Browser, env: E2eEnv, options: DemoOptions = {}): Promise<DemoPage> {
  const webUrl = options.webUrl ?? env.webUrl
  const context = await browser.newContext({ viewport: { width: 420, height: 760 } })
  // Only loopback exists here; uni's H5 CSS also asks a CDN for an image. Refuse such requests at
  // once instead of letting the page's load event wait on DNS.
  await context.route(
    (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
    (route) => route.abort('blockedbyclient'),
  )
  const page = await context.newPage()
  const calls: PageCall[] = []
  const byRequest = new Map<unknown, PageCall>()
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('request', (request) => {
    const url = new URL(request.url())
    const target = url.origin === env.apiUrl ? 'api' : url.origin === env.mockUrl ? 'mock' : url.origin === webUrl ? 'web' : 'other'
    const call: PageCall = {
      method: request.method(),
      target,
      path: url.pathname,
      authorization: request.headers().authorization,
      body: request.postData() ?? undefined,
      status: undefined,
      json: undefined,
      sentAt: Date.now(),
      answeredAt: undefined,
      failed: undefined,
    }
    calls.push(call)
    byRequest.set(request, call)
  })
  const bodies = new Set<Promise<void>>()
  page.on('response', (response) => {
    const call = byRequest.get(response.request())
    if (!call) return
    call.status = response.status()
    call.answeredAt = Date.now()
    if (!(response.headers()['content-type'] ?? '').includes('application/json')) return
    const body: Promise<void> = response
      .json()
      .then((json: unknown) => {
        call.json = json
      })
      .catch(() => undefined)
      .finally(() => bodies.delete(body))
    bodies.add(body)
  })
  page.on('requestfailed', (request) => {
    const call = byRequest.get(request)
    if (call) call.failed = request.failure()?.errorText ?? 'failed'
  })
  if (options.goto !== false) await page.goto(webUrl)

  const text = async (selector: string) => ((await page.textContent(selector)) ?? '').trim()
  return {
    context,
    page,
    calls,
    apiCalls: (method, path, since = 0) =>
      calls.slice(since).filter((call) => call.target === 'api' && call.method === method && call.path === path),
    text,
    settle: async () => {
      await expect
        .poll(() => calls.filter((c) => c.target !== 'other' && c.answeredAt === undefined && c.failed === undefined).length, {
          timeout: 5000,
          message: 'requests still waiting for their response',
        })
        .toBe(0)
      await Promise.all(bodies)
    },
    log: async () => (await page.locator('#log .log-line').allTextContents()).map((line) => line.trim()),
    screenshot: async (name) => {
      await page.screenshot({ path: join(env.screenshotDir, `${name}.png`) })
    },
    close: async () => {
      await context.close()
      // An exception in the app is a failure even when the page happened to look right.
      expect(pageErrors, 'uncaught errors in the page').toEqual([])
    },
  }
}

/** Opens a fresh demo page, runs `scenario` on it, and closes it (checking for page errors) whatever happens. */
export async function withDemo(
  browser: Browser,
  env: E2eEnv,
  scenario: (demo: DemoPage) => Promise<void>,
  options: DemoOptions = {},
): Promise<void> {
  const demo = await openDemo(browser, env, options)
  try {
    await scenario(demo)
  } finally {
    await demo.close()
  }
}

/** Waits until the element's text satisfies `match` (a string it must contain, or a RegExp). */
export async function waitForText(demo: DemoPage, selector: string, match: string | RegExp, timeout = 15_000): Promise<string> {
  await expect
    .poll(() => demo.text(selector), { timeout, message: `${selector} should show ${String(match)}` })
    .toMatch(typeof match === 'string' ? new RegExp(match.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : match)
  return demo.text(selector)
}

/** What reached the backend (recorded in the global setup's process). */
export async function backendCalls(env: E2eEnv): Promise<BackendCall[]> {
  const response = await fetch(`${env.apiUrl}/__e2e/calls`)
  return ((await response.json()) as { calls: BackendCall[] }).calls
}

export async function mockStats(env: E2eEnv): Promise<Record<string, number>> {
  const response = await fetch(`${env.mockUrl}/__stats`)
  return ((await response.json()) as { calls: Record<string, number> }).calls
}

export const USER_ID = /^user: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
