/** Where the session is in its life; the Pinia store mirrors it for the UI. */
export type AuthStatus = 'idle' | 'checking' | 'logging-in' | 'authenticated' | 'failed' | 'logged-out'

/** A user object as your backend returns it; the plugin only stores and hands it back. */
export type AuthUser = Record<string, unknown>

/** What your backend answers to a code (or refresh token) exchange. */
export interface TokenGrant {
  token: string
  /** Seconds until `token` expires. Absent means "until the backend says 401". */
  expiresIn?: number
  refreshToken?: string
  user?: AuthUser | null
}

/** The session as the engine keeps and persists it. */
export interface Session {
  token: string
  /** Epoch milliseconds, or `null` when the backend gave no expiry. */
  expiresAt: number | null
  /** Epoch milliseconds from which the token is renewed before use (`expirySkewMs` ahead of expiry). */
  renewAt: number | null
  /**
   * Grows by one with every token the engine receives. A 401 for a request that carried an older
   * generation is stale news: the token it used has already been replaced.
   */
  generation: number
  refreshToken: string | null
  user: AuthUser | null
}

/** Result of asking the platform whether its own login session (WeChat `session_key`) is alive. */
export type PlatformSessionState = 'valid' | 'expired' | 'unknown'

/** The mini-program side of login, injected so the engine runs anywhere (tests, H5, other vendors). */
export interface LoginPlatform {
  /** One fresh one-time login code (`wx.login`). */
  getCode(): Promise<string>
  /** `wx.checkSession`; platforms without it answer `'unknown'`. */
  checkSession(): Promise<PlatformSessionState>
}

/** Synchronous key/value storage, like `uni.getStorageSync`. Values are strings here. */
export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export type TimerHandle = unknown

/** Time, injected so tests can drive it with fake timers. */
export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/** Trades a login code for your backend's token. */
export type CodeExchange = (code: string) => Promise<TokenGrant>
/** Trades a refresh token for a new token, without a new `wx.login`. */
export type RefreshExchange = (refreshToken: string) => Promise<TokenGrant>
