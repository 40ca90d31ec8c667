import { serializeSession } from '../../src/core/persisted-session'
import { ENGINE_DEFAULTS, type EngineOptions } from '../../src/core/engine-options'
import { createAuth } from '../../src/uni/create-auth'
import type { UniLike } from '../../src/uni/uni-host'
import type { FakeWx } from '../../testkit/doubles/fake-wx'
import { createArticleClient, type TaroLike } from './article'

export const API = 'https://api.bench'
export const LOGIN_PATH = '/auth/login'

/**
 * One app run of each contender over the same `uni` (uni-app's real API layer over the fake wx and
 * backend): `launch()` is what App.onLaunch does, `request()` what a page does, resolving with the
 * HTTP status (0 for a failure). `dispose()` ends the run and returns how many timers it left pending.
 */
export interface BenchApp {
  launch(): void
  request(path: string): Promise<number>
  dispose(): number
}

export type Contender = 'ours' | 'article' | 'limit'
export const CONTENDERS: readonly Contender[] = ['ours', 'article', 'limit']
/**
 * Relaunches also run ours with `sessionCheck: 'blocking'` (requests wait for `wx.checkSession`) next
 * to the default `'background'` (the stored token is used at once, the check runs alongside).
 */
export type RelaunchContender = Contender | 'ours-blocking'
export const RELAUNCH_CONTENDERS: readonly RelaunchContender[] = [...CONTENDERS, 'ours-blocking']

export interface AppContext {
  uni: UniLike
  wx: FakeWx
}

/** A stored session from an earlier run, in each contender's own storage format. */
export function seedStoredSession(contender: RelaunchContender, { wx }: AppContext): string {
  const { token } = wx.backend.issueToken()
  if (contender === 'ours' || contender === 'ours-blocking') {
    const session = { token, expiresAt: null, renewAt: null, generation: 1, refreshToken: null, user: null }
    wx.storage.set(ENGINE_DEFAULTS.storageKey, serializeSession(session))
  } else {
    wx.storage.set('token', token)
  }
  return token
}

export function createApp(contender: RelaunchContender, ctx: AppContext): BenchApp {
  if (contender === 'ours') return oursApp(ctx)
  if (contender === 'ours-blocking') return oursApp(ctx, { sessionCheck: 'blocking' })
  if (contender === 'article') return articleApp(ctx)
  return limitApp(ctx)
}

function uniRequest(uni: UniLike, options: Record<string, unknown>): Promise<number> {
  return new Promise((resolve) => {
    uni.request({
      ...options,
      success: (res: { statusCode: number }) => resolve(res.statusCode),
      fail: () => resolve(0),
    })
  })
}

/** The plugin as users install it: createAuth (what createUniAuth's install() calls) + onLaunch; default options unless given. */
function oursApp({ uni }: AppContext, engine?: EngineOptions): BenchApp {
  const auth = createAuth({ host: { uni }, baseUrl: API, login: LOGIN_PATH, engine })
  return {
    // useAuthLifecycle(): `onLaunch(() => engine.ensureSession().catch(() => {}))`
    launch: () => void auth.engine.ensureSession().catch(() => {}),
    request: (path) => uniRequest(uni, { url: path }),
    dispose() {
      auth.uninstall()
      return 0
    },
  }
}

/** The article's client; launch runs its checkSession (the article: check once at app start). */
function articleApp({ uni }: AppContext): BenchApp {
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const client = createArticleClient({
    taro: uni as unknown as TaroLike,
    baseUrl: API,
    loginUrl: LOGIN_PATH,
    setTimeout: (callback, ms) => {
      const handle = setTimeout(() => {
        timers.delete(handle)
        callback()
      }, ms)
      timers.add(handle)
      return handle
    },
  })
  return {
    launch: () => void client.checkSession().catch(() => {}),
    request: (path) =>
      client.fetch(path).then(
        (res: { statusCode: number }) => res.statusCode,
        () => 0,
      ),
    dispose() {
      // The article's reLogin waiters poll forever once a login has succeeded: stop them here.
      const leaked = timers.size
      for (const handle of timers) clearTimeout(handle)
      timers.clear()
      return leaked
    },
  }
}

/**
 * The physical floor: one wx.login + one exchange, shared by every request; requests carry the
 * token; a 401 triggers one shared relogin per token and one replay. No checks, no bookkeeping.
 */
function limitApp({ uni, wx }: AppContext): BenchApp {
  const stored = wx.storage.get('token')
  let token: Promise<string> | null = typeof stored === 'string' ? Promise.resolve(stored) : null
  const login = () =>
    new Promise<string>((resolve, reject) => {
      uni.login!({
        success: ({ code }: { code: string }) =>
          uni.request({
            url: API + LOGIN_PATH,
            method: 'POST',
            data: { code },
            success: (res: { data: { token: string } }) => resolve(res.data.token),
            fail: reject,
          }),
        fail: reject,
      })
    })
  const current = () => (token ??= login())
  return {
    launch: () => void current(),
    async request(path) {
      const used = current()
      const send = async (value: string) => uniRequest(uni, { url: API + path, header: { Authorization: `Bearer ${value}` } })
      const status = await send(await used)
      if (status !== 401) return status
      if (token === used) token = login()
      return send(await token!)
    },
    dispose: () => 0,
  }
}
