import type { ExchangedIdentity, IdentityProviderName, LoginPlatform } from '../providers/types.js'

/** A business user; it logs in through one or more identities (`IdentityRecord`). */
export interface UserRecord {
  id: string
  /** Full phone number as WeChat returned it (`purePhoneNumber`); never sent to clients unmasked. */
  phone: string | null
  /** Milliseconds since the epoch. */
  createdAt: number
}

/** Names one identity: an account of one vendor in one app. */
export interface IdentityKey {
  provider: IdentityProviderName
  appId: string
  subject: string
}

/** One way a user logs in. Holds no secret: the session key stays in the store (`getSessionKey`). */
export interface IdentityRecord extends IdentityKey {
  /** The build target it first logged in or was linked from. */
  platform: LoginPlatform
  unionid: string | null
  /** Milliseconds since the epoch. */
  createdAt: number
}

/** The refresh-token family a login starts, with its first token. */
export interface NewLogin {
  familyId: string
  /** sha256 of the first refresh token. */
  refreshTokenHash: string
  /** Milliseconds since the epoch. */
  refreshExpiresAt: number
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
 * What may be lost: the WeChat access_tokens (one per mini-program AppID) and the lock that makes
 * each refresh single-flight across instances. Redis when `REDIS_URL` is set, otherwise the SQL store.
 */
export interface AccessTokenCache {
  /** The cached access_token of the mini-program `appId`; each AppID has its own. */
  getAccessToken(appId: string): Promise<CachedAccessToken | null>
  setAccessToken(appId: string, value: CachedAccessToken): Promise<void>

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
  /**
   * A login, in one transaction: finds the identity's user (by the identity; else, for a new
   * identity, by its unionid within the provider; else a new user), records the identity and its
   * session key, and starts the login's refresh-token family with its first token. Concurrent first
   * logins of one person (one identity, or one unionid on two apps) end in one user, across instances.
   */
  loginWithIdentity(identity: ExchangedIdentity, login: NewLogin): Promise<UserRecord>
  /**
   * Adds an identity to a user. Rejects with `IDENTITY_CONFLICT` when the identity, or the person its
   * unionid names, belongs to another user, or the user already has another identity in that app;
   * linking an identity the user already has only refreshes its session key.
   */
  linkIdentity(userId: string, identity: ExchangedIdentity): Promise<IdentityRecord>
  /**
   * Removes the user's identity in that app. Resolves `false` when the user has none there;
   * rejects with `LAST_IDENTITY` rather than remove the user's only way to log in.
   */
  unlinkIdentity(userId: string, provider: IdentityProviderName, appId: string): Promise<boolean>
  /** The user's identities, oldest first. */
  listIdentities(userId: string): Promise<IdentityRecord[]>
  /** The latest session key of an identity (mini-programs only), for decrypting `encryptedData`. */
  getSessionKey(identity: IdentityKey): Promise<string | null>

  getUserById(id: string): Promise<UserRecord | null>
  setUserPhone(id: string, phone: string): Promise<UserRecord | null>

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
