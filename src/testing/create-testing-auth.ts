import { serializeSession } from '../core/persisted-session'
import type { AuthUser, StorageLike, TokenGrant } from '../core/types'
import type { UniInterceptor, UniLike, UniOptions } from '../uni/uni-like'
import { createUniAuth, type UniAuthPlugin } from '../vue/create-uni-auth'

export interface TestingAuthOptions {
  /**
   * The session the app starts with, as if restored from storage. `null` starts logged out.
   * @default { token: 'test-token', user: { id: 'test-user' } }
   */
  session?: { token: string; user?: AuthUser | null } | null
  /** What a login returns. @default a grant with `token: 'test-token-<n>'` and the session's user */
  exchange?: (code: string) => Promise<TokenGrant>
}

export interface TestingAuthPlugin extends UniAuthPlugin {
  /** Everything the plugin sent through the fake `uni` (login calls and intercepted APIs). */
  readonly calls: ReadonlyArray<{ api: string; options: UniOptions }>
}

/**
 * The plugin for your own component tests, like Pinia's `createTestingPinia`: no global `uni`, no
 * network, in-memory storage; `useAuth()` works as in the app. Install after Pinia:
 * `mount(Comp, { global: { plugins: [createPinia(), createTestingAuth()] } })`.
 */
export function createTestingAuth({
  session = { token: 'test-token', user: { id: 'test-user' } },
  exchange,
}: TestingAuthOptions = {}): TestingAuthPlugin {
  const calls: Array<{ api: string; options: UniOptions }> = []
  const storage = memoryStorage()
  const storageKey = 'uni-mp-auth:testing'
  if (session) {
    storage.setItem(
      storageKey,
      serializeSession({
        token: session.token,
        expiresAt: null,
        renewAt: null,
        generation: 1,
        refreshToken: null,
        user: session.user ?? null,
      }),
    )
  }
  let logins = 0
  const plugin = createUniAuth({
    uni: recordingUni(calls),
    storage,
    storageKey,
    getCode: async () => `test-code-${++logins}`,
    exchange: exchange ?? (async () => ({ token: `test-token-${logins}`, user: session?.user ?? { id: 'test-user' } })),
  })
  return Object.assign(plugin, { calls })
}

function memoryStorage(): StorageLike {
  const data = new Map<string, string>()
  return {
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  }
}

/** A `uni` that answers nothing by itself and records what reaches it; checkSession is "unknown". */
function recordingUni(calls: Array<{ api: string; options: UniOptions }>): UniLike {
  const interceptors = new Map<string, UniInterceptor[]>()
  const record = (api: string) => (options: UniOptions) => void calls.push({ api, options })
  return {
    request: record('request'),
    uploadFile: record('uploadFile'),
    downloadFile: record('downloadFile'),
    getStorageSync: () => '',
    setStorageSync: () => {},
    removeStorageSync: () => {},
    addInterceptor: (method, interceptor) => void interceptors.set(method, [...(interceptors.get(method) ?? []), interceptor]),
    removeInterceptor: (method) => void interceptors.delete(method),
  }
}
