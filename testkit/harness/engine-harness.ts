import { type AuthEngine, createAuthEngine } from '../../src/core/auth-engine'
import type { EngineOptions } from '../../src/core/engine-options'
import type { AuthEvent } from '../../src/core/events'
import type { Clock, LoginExchange, PlatformSessionState, RefreshExchange, StorageLike, TokenGrant } from '../../src/core/types'
import { createMemoryStorage } from '../doubles/memory-storage'

export interface HarnessOptions extends EngineOptions {
  getCode?: () => Promise<string>
  checkSession?: () => Promise<PlatformSessionState>
  login?: LoginExchange
  refresh?: RefreshExchange
  storage?: StorageLike
  clock?: Clock
}

export interface Harness {
  engine: AuthEngine
  counts: { getCode: number; checkSession: number; login: number; refresh: number }
  storage: StorageLike
  /** Every event the engine emitted, in order. */
  events: AuthEvent[]
}

/**
 * A session engine over counting fakes. By default every platform call and login answers on the
 * next microtask; tests replace the functions to add delays, failures or hangs.
 */
export function createHarness(options: HarnessOptions = {}): Harness {
  const { getCode: code, checkSession: check, login: exchange, refresh, storage: given, clock, ...engineOptions } = options
  const counts = { getCode: 0, checkSession: 0, login: 0, refresh: 0 }
  let issued = 0
  const storage = given ?? createMemoryStorage()
  const getCode = code ?? (async () => `code-${counts.getCode}`)
  const checkSession = check ?? (async (): Promise<PlatformSessionState> => 'valid')
  const login = exchange ?? (async (c: string): Promise<TokenGrant> => ({ token: `token-${++issued}-${c}`, expiresIn: 3600 }))
  const engine = createAuthEngine(
    {
      storage,
      clock,
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
      login: (c) => {
        counts.login++
        return login(c)
      },
      refresh: refresh
        ? (token) => {
            counts.refresh++
            return refresh(token)
          }
        : undefined,
    },
    engineOptions,
  )
  const events: AuthEvent[] = []
  engine.subscribe((event) => events.push(event))
  return { engine, counts, storage, events }
}
