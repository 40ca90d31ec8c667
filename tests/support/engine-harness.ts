import { createSessionEngine, type SessionEngineOptions } from '../../src/core/session-engine'
import type { PlatformSessionState, StorageLike, TokenGrant } from '../../src/core/types'

export function createMemoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial))
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  }
}

export interface HarnessOptions extends Partial<SessionEngineOptions> {
  getCode?: () => Promise<string>
  checkSession?: () => Promise<PlatformSessionState>
}

/**
 * A session engine over counting fakes. By default every platform call and exchange answers on the
 * next microtask; tests replace the functions to add delays, failures or hangs.
 */
export function createHarness(options: HarnessOptions = {}) {
  const counts = { getCode: 0, checkSession: 0, exchange: 0, refresh: 0 }
  let issued = 0
  const storage = options.storage ?? createMemoryStorage()
  const getCode = options.getCode ?? (async () => `code-${counts.getCode}`)
  const checkSession = options.checkSession ?? (async (): Promise<PlatformSessionState> => 'valid')
  const exchange =
    options.exchange ?? (async (code: string): Promise<TokenGrant> => ({ token: `token-${++issued}-${code}`, expiresIn: 3600 }))
  const engine = createSessionEngine({
    ...options,
    storage,
    platform: {
      getCode: () => {
        counts.getCode++
        return getCode()
      },
      checkSession: () => {
        counts.checkSession++
        return checkSession()
      },
    },
    exchange: (code) => {
      counts.exchange++
      return exchange(code)
    },
    refresh: options.refresh
      ? (refreshToken) => {
          counts.refresh++
          return options.refresh!(refreshToken)
        }
      : undefined,
  })
  return { engine, counts, storage }
}
