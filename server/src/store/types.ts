/** A business user bound to one WeChat identity. */
export interface UserRecord {
  id: string
  openid: string
  unionid: string | null
  /** Full phone number as WeChat returned it (`purePhoneNumber`); never sent to clients unmasked. */
  phone: string | null
  /** Milliseconds since the epoch. */
  createdAt: number
}

export interface WechatIdentity {
  openid: string
  unionid?: string | undefined
}

export interface RefreshTokenRecord {
  /** sha256 of the opaque token: a leaked database does not leak usable tokens. */
  hash: string
  userId: string
  /** All tokens rotated from one login share a family, so a replayed old token can revoke them all. */
  familyId: string
  /** Milliseconds since the epoch. */
  expiresAt: number
}

/** The token a rotation issues in place of the spent one; its user and family are the spent token's. */
export interface RefreshSuccessor {
  /** sha256 of the new opaque token. */
  hash: string
  /** Milliseconds since the epoch. */
  expiresAt: number
}

export interface RotateRefreshOptions {
  /**
   * How long after a rotation the spent token still counts as a retry rather than a replay: its
   * client may never have received the answer. A retry in time gets `successor`, which replaces the
   * earlier successor (that one is spent, unused, so presenting it later is a replay). 0 = none.
   */
  graceMs: number
}

export type RefreshRotateResult =
  /**
   * Spent, and `successor` saved in the same atomic step. `user` is read in that step too (`null`:
   * the user was deleted). `retried`: a retry within the grace window.
   */
  | { status: 'ok'; userId: string; user: UserRecord | null; familyId: string; retried: boolean }
  /** The token had already been rotated: someone replays it. Its family is revoked by the store. */
  | { status: 'reused'; userId: string; familyId: string }
  | { status: 'invalid' }

export interface CachedAccessToken {
  token: string
  /** Milliseconds since the epoch, as reported by WeChat (`expires_in`). */
  expiresAt: number
}

/**
 * What may be lost: the WeChat access_token cache and the lock that makes its refresh
 * single-flight across instances. Redis when `REDIS_URL` is set, otherwise the SQL store.
 */
export interface AccessTokenCache {
  getAccessToken(): Promise<CachedAccessToken | null>
  setAccessToken(value: CachedAccessToken): Promise<void>

  /** Tries to take a named lock; resolves an owner id on success, `null` when someone else holds it. */
  acquireLock(name: string, ttlMs: number): Promise<string | null>
  /** Releases the lock only if `owner` still holds it (it may have expired and been taken over). */
  releaseLock(name: string, owner: string): Promise<void>
}

/**
 * What must not be lost: users, session keys, code claims, refresh families and tokens.
 * Implementations must be safe when several backend instances share one store: every guard
 * (code claim, refresh rotation, family revocation) is one atomic decision in the database.
 * A store can always hold the access_token cache too, for deployments without Redis.
 * Methods reject with `HttpAuthError('STORE_UNAVAILABLE')` when the database cannot be reached.
 */
export interface AuthStore extends AccessTokenCache {
  /** Finds the user by unionid (when given) or openid, creating it on first sight. */
  upsertUser(identity: WechatIdentity): Promise<UserRecord>
  getUserById(id: string): Promise<UserRecord | null>
  setUserPhone(id: string, phone: string): Promise<UserRecord | null>

  saveSessionKey(openid: string, sessionKey: string): Promise<void>
  getSessionKey(openid: string): Promise<string | null>

  /** Marks a wx.login code as used. Resolves `true` only for the first caller, across instances. */
  claimCode(code: string, ttlMs: number): Promise<boolean>

  /** Stores the first refresh token of a login, creating its family. */
  saveRefreshToken(record: RefreshTokenRecord): Promise<void>
  /**
   * Spends the token and saves its successor in one atomic step, decided together with the family
   * check: a token of a revoked family is `invalid` even if it was saved after the revocation. A
   * spent token presented again is `reused` (and its family revoked), except within
   * `options.graceMs` of its rotation while its successor is still unused (see RotateRefreshOptions).
   * When it rejects (STORE_UNAVAILABLE), nothing changed.
   */
  rotateRefreshToken(hash: string, successor: RefreshSuccessor, options: RotateRefreshOptions): Promise<RefreshRotateResult>
  /** Revokes the family the token belongs to (logout). Unknown tokens are ignored. */
  revokeRefreshFamilyOf(hash: string): Promise<void>
  /** Revokes one login (its family): none of its tokens, past or future, can be rotated again. Unknown ids are ignored. */
  revokeFamily(familyId: string): Promise<void>
  /** Log out everywhere: revokes every family of the user; logins after the call are not affected. */
  revokeAllFamiliesOfUser(userId: string): Promise<void>

  /** Resolves when the database answers; rejects (`STORE_UNAVAILABLE`) when it cannot be reached (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}
