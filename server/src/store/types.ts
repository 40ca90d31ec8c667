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

export type RefreshConsumeResult =
  | { status: 'ok'; userId: string; familyId: string }
  /** The token had already been rotated: someone replays it. Its family is revoked by the store. */
  | { status: 'reused'; userId: string; familyId: string }
  | { status: 'invalid' }

export interface CachedAccessToken {
  token: string
  /** Milliseconds since the epoch, as reported by WeChat (`expires_in`). */
  expiresAt: number
}

/**
 * Everything the backend keeps. Implementations must be safe when several backend
 * instances share one store (atomic code guard, atomic refresh rotation, a real lock).
 */
export interface AuthStore {
  /** Finds the user by unionid (when given) or openid, creating it on first sight. */
  upsertUser(identity: WechatIdentity): Promise<UserRecord>
  getUserById(id: string): Promise<UserRecord | null>
  setUserPhone(id: string, phone: string): Promise<UserRecord | null>

  saveSessionKey(openid: string, sessionKey: string): Promise<void>
  getSessionKey(openid: string): Promise<string | null>

  /** Marks a wx.login code as used. Resolves `true` only for the first caller, across instances. */
  claimCode(code: string, ttlMs: number): Promise<boolean>

  saveRefreshToken(record: RefreshTokenRecord): Promise<void>
  /** Atomically marks the token used; a second consume of the same token reports `reused`. */
  consumeRefreshToken(hash: string): Promise<RefreshConsumeResult>
  /** Revokes the family the token belongs to (logout). Unknown tokens are ignored. */
  revokeRefreshFamilyOf(hash: string): Promise<void>
  /** Revokes every token of one login (its family); an unknown family id is ignored. */
  revokeFamily(familyId: string): Promise<void>
  /** Revokes every family of the user ("log out everywhere"); logins after the call are not affected. */
  revokeAllFamiliesOfUser(userId: string): Promise<void>

  getAccessToken(): Promise<CachedAccessToken | null>
  setAccessToken(value: CachedAccessToken): Promise<void>

  /** Tries to take a named lock; resolves an owner id on success, `null` when someone else holds it. */
  acquireLock(name: string, ttlMs: number): Promise<string | null>
  /** Releases the lock only if `owner` still holds it (it may have expired and been taken over). */
  releaseLock(name: string, owner: string): Promise<void>

  /** Resolves when the store answers a trivial query; throws when it is unreachable (readiness). */
  ping(): Promise<void>

  close(): Promise<void>
}
