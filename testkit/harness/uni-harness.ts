import type { UniAuthOptions } from '../../src/uni/auth-config'
import { createAuth, type UniAuth } from '../../src/uni/create-auth'
import type { UniLike } from '../../src/uni/uni-host'
import type { WxCall } from '../doubles/call-log'
import { type BackendSettings, createFakeBackend, type FakeBackend } from '../doubles/fake-backend'
import type { FakeWx, WxBehaviour } from '../doubles/fake-wx'
import { clearInterceptors, loadRealUni } from './real-uni'

export const API = 'https://api.test'
export const LOGIN_PATH = '/auth/login'

export interface UniHarness {
  uni: UniLike
  wx: FakeWx
  backend: FakeBackend
  auth: UniAuth
  count(api: string): number
}

/**
 * Unit-test pace and scope: every async `wx` API answers on the next microtask, and hosts other than
 * the backend (a CDN, a look-alike domain) answer 200, so a test can await a request that must leave
 * without the token.
 */
const UNIT_BEHAVIOUR: Partial<WxBehaviour> = { latencyMs: 0, otherHosts: { statusCode: 200, data: {}, header: {} } }

/**
 * The backend of these tests grants no refresh token: a 401 is recovered by a full login, which is
 * what most of them pin (refresh is covered by the engine tests and the mini-program host).
 */
const UNIT_BACKEND: Partial<BackendSettings> = { refreshTokens: false }

/**
 * The plugin wired to uni's real API layer over the fake wx and backend. Call in beforeEach: it
 * clears all interceptors and gives the fake a fresh phone and backend, so each test starts cold.
 */
export async function setupUni(options: Partial<UniAuthOptions> = {}, before?: (uni: UniLike) => void): Promise<UniHarness> {
  const { uni, wx } = await loadRealUni()
  clearInterceptors(uni)
  wx.reset({ backend: createFakeBackend({ baseUrl: API, settings: UNIT_BACKEND }), behaviour: UNIT_BEHAVIOUR })
  before?.(uni)
  const auth = createAuth({ baseUrl: API, login: LOGIN_PATH, ...options, host: { uni, ...options.host } })
  return { uni, wx, backend: wx.backend, auth, count: (api) => wx.calls.count(api) }
}

/**
 * The same app launched again: fresh plugin and interceptors, but the wx storage and the backend's
 * accepted tokens survive, like a phone that kept its storage between launches.
 */
export function restart(h: UniHarness, options: Partial<UniAuthOptions> = {}): UniHarness {
  clearInterceptors(h.uni)
  h.wx.calls.clear()
  const auth = createAuth({ baseUrl: API, login: LOGIN_PATH, ...options, host: { uni: h.uni, ...options.host } })
  return { ...h, auth }
}

export interface SentOptions {
  url: string
  method?: string
  header?: Record<string, string>
  data?: unknown
  filePath?: string
  provider?: string
}

/** The options a `wx.*` call received (a copy taken at the time of the call). */
export function sentOptions(call: WxCall): SentOptions {
  return call.args[0] as SentOptions
}

const NETWORK = ['request', 'uploadFile', 'downloadFile']

/** Every network call the fake wx received, as URL and Authorization header, in order. */
export function networkCalls(h: UniHarness): Array<{ url: string; auth: string | undefined }> {
  return h.wx.calls.all
    .filter((call) => NETWORK.includes(call.api))
    .map((call) => ({ url: sentOptions(call).url, auth: sentOptions(call).header?.Authorization }))
}

/** Network calls without the login exchange. */
export function businessRequests(h: UniHarness) {
  return networkCalls(h).filter((r) => !r.url.endsWith(LOGIN_PATH))
}

/** How many code exchanges reached the wx layer (answered by the backend or by a test's script). */
export function exchanges(h: UniHarness): number {
  return networkCalls(h).filter((r) => r.url.endsWith(LOGIN_PATH)).length
}

/** Answers the login exchange with this instead of the backend (an HTTP response, 'network-fail' or 'hang'). */
export function answerLogin(h: UniHarness, answer: NonNullable<WxBehaviour['http']>): void {
  h.wx.behaviour.http = (request) => (request.url.endsWith(LOGIN_PATH) ? answer(request) : undefined)
}
