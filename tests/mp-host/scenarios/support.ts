import { vi } from 'vitest'
import { createMpHost, type MpHost, type MpHostOptions, type WxCall } from '../../../testkit/mp-host/index'
import { DIST_DIR } from './paths'

export const API = 'http://127.0.0.1:3000'
export const SESSION_KEY = 'uni-mp-auth:session'

const hosts: MpHost[] = []

/** Registered per test file by setup.ts (a setup file runs for every file, even without isolation). */
export function disposeHosts(): void {
  while (hosts.length) hosts.pop()!.dispose()
  vi.useRealTimers()
}

/**
 * A host on the demo build, disposed after the test. With `fakeTimers` (the default) time only
 * moves when the scenario advances it; install fake timers before the build loads.
 */
export function startHost(options: Partial<MpHostOptions> & { fakeTimers?: boolean } = {}): MpHost {
  const { fakeTimers = true, ...rest } = options
  if (fakeTimers && !vi.isFakeTimers()) vi.useFakeTimers()
  if (!fakeTimers && vi.isFakeTimers()) vi.useRealTimers()
  const host = createMpHost({
    distDir: DIST_DIR,
    ...(fakeTimers ? { advance: (ms: number) => vi.advanceTimersByTimeAsync(ms) } : {}),
    ...rest,
  })
  hosts.push(host)
  return host
}

interface RequestArgs {
  url?: string
  method?: string
  header?: Record<string, string>
  data?: unknown
  filePath?: string
}

export function argsOf(call: WxCall): RequestArgs {
  return (call.args[0] ?? {}) as RequestArgs
}

/** `wx.request` / `wx.uploadFile` calls to one path of the backend. */
/** The calls to `path` (query ignored: the demo tags some requests, `/me?via=burst-3`). */
export function callsTo(host: MpHost, path: string, api = 'request'): WxCall[] {
  return host.fake.calls.of(api).filter((call) => String(argsOf(call).url).replace(/\?.*/, '') === `${API}${path}`)
}

export function authOf(call: WxCall): string | undefined {
  return argsOf(call).header?.Authorization
}

export const bearer = (token: string | null | undefined) => `Bearer ${String(token)}`

/** Launches and waits until the page's onLoad profile request has come back. */
export async function launchAndLoad(host: MpHost): Promise<void> {
  host.launch()
  await host.until(() => host.page.texts('log').some((line) => line.startsWith('GET /me')), { what: 'first GET /me' })
}

export function logLines(host: MpHost): string[] {
  return host.page.texts('log')
}

export async function waitForLog(host: MpHost, prefix: string): Promise<string> {
  await host.until(() => logLines(host).some((line) => line.startsWith(prefix)), { what: `log line "${prefix}…"` })
  return logLines(host).find((line) => line.startsWith(prefix))!
}

/** The demo's guarded pages and its login page. */
export const ROUTES = { orders: 'pages/orders/index', wallet: 'pages/wallet/index', login: 'pages/login/index' } as const

/** Waits until the top page is `route` (the guard navigates on later ticks). */
export async function onPage(host: MpHost, route: string): Promise<void> {
  await host.until(() => host.current.route === route, { what: `the ${route} page on top` })
}

/** Every navigation API call the app made, as `api url`. */
export function navigations(host: MpHost): string[] {
  return host.fake.calls.all
    .filter((call) => ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab', 'navigateBack'].includes(call.api))
    .map((call) => `${call.api} ${String((call.args[0] as { url?: string }).url ?? '')}`.trim())
}
