import type { UniAuthOptions } from '../../src/uni/auth-config'
import { createAuth, type UniAuth } from '../../src/uni/create-auth'
import type { UniLike } from '../../src/uni/uni-host'
import { API, type FakeBackend, installFakeBackend } from './fake-backend'
import type { FakeWx } from './fake-wx'
import { clearInterceptors, loadRealUni } from './real-uni'

export interface UniHarness {
  uni: UniLike
  wx: FakeWx
  backend: FakeBackend
  auth: UniAuth
  count(api: string): number
}

let loaded: Promise<{ uni: UniLike; wx: FakeWx }> | null = null

/**
 * The plugin wired to uni's real API layer over a fake wx and a fake backend. Call in beforeEach:
 * it clears all interceptors and fake state, so each test starts from a cold app.
 */
export async function setupUni(options: Partial<UniAuthOptions> = {}, before?: (uni: UniLike) => void): Promise<UniHarness> {
  loaded ??= loadRealUni()
  const { uni, wx } = await loaded
  clearInterceptors(uni)
  wx.reset()
  const backend = installFakeBackend(wx)
  before?.(uni)
  const auth = createAuth({ baseUrl: API, login: '/auth/login', ...options, host: { uni, ...options.host } })
  return { uni, wx, backend, auth, count: (api) => wx.calls.filter((c) => c.api === api).length }
}

/**
 * The same app launched again: fresh plugin and interceptors, but the wx storage and the backend's
 * accepted tokens survive, like a phone that kept its storage between launches.
 */
export function restart(h: UniHarness, options: Partial<UniAuthOptions> = {}): UniHarness {
  clearInterceptors(h.uni)
  h.wx.calls.length = 0
  h.backend.seen.length = 0
  const auth = createAuth({ baseUrl: API, login: '/auth/login', ...options, host: { uni: h.uni, ...options.host } })
  return { ...h, auth }
}

/** Requests as the backend saw them, without the login call. */
export function businessRequests(backend: FakeBackend) {
  return backend.seen.filter((r) => !r.url.endsWith('/auth/login'))
}
