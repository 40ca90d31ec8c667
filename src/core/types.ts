/** Where the session is in its life; the Pinia store mirrors it for the UI. */
export type AuthStatus = 'idle' | 'checking' | 'logging-in' | 'authenticated' | 'failed' | 'logged-out'

/** A user object as your backend returns it; the plugin only stores and hands it back. */
export type AuthUser = Record<string, unknown>

/** What your backend answers to a login code (or a refresh token). */
export interface TokenGrant {
  token: string
  /** Seconds until `token` expires. Absent means "until the backend answers 401". */
  expiresIn?: number
  refreshToken?: string
  user?: AuthUser | null
}

/** The backend token and what belongs to it, as the engine keeps and persists it. */
export interface Session {
  token: string
  /** Epoch milliseconds, or `null` when the backend gave no expiry. */
  expiresAt: number | null
  /** Epoch milliseconds from which the token is renewed before use rather than sent. */
  renewAt: number | null
  /**
   * Grows by one with every token the engine receives. A 401 for a request that carried an older
   * generation is stale news: that token has already been replaced.
   */
  generation: number
  refreshToken: string | null
  user: AuthUser | null
}

/** Whether the platform's own login session (WeChat's `session_key`) is alive. */
export type PlatformSessionState = 'valid' | 'expired' | 'unknown'

/** The mini-program side of login, injected so the engine runs anywhere (tests, H5, other vendors). */
export interface LoginPlatform {
  /** One fresh one-time login code (`wx.login`). */
  getCode(): Promise<string>
  /** `wx.checkSession`; platforms without it answer `'unknown'`. */
  checkSession(): Promise<PlatformSessionState>
}

/** Synchronous string storage, like `uni.getStorageSync`. */
export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** Time, injected so tests drive it with fake timers. */
export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Trades a login code for your backend's token. */
export type LoginExchange = (code: string) => Promise<TokenGrant>
/** Trades a refresh token for a new token, without a new `wx.login`. */
export type RefreshExchange = (refreshToken: string) => Promise<TokenGrant>
