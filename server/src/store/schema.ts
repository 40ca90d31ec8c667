/**
 * Tables as Kysely sees them, identical on SQLite and PostgreSQL. Times are milliseconds since the
 * epoch (`bigint` in PostgreSQL, read back as numbers), taken from the app's injectable clock.
 * The migrations in `./migrations/` create exactly this.
 */
export interface Database {
  users: UsersTable
  identities: IdentitiesTable
  identity_unions: IdentityUnionsTable
  code_claims: CodeClaimsTable
  refresh_families: RefreshFamiliesTable
  refresh_tokens: RefreshTokensTable
  cache_entries: CacheEntriesTable
  locks: LocksTable
}

export interface UsersTable {
  id: string
  /** The bound phone number (`purePhoneNumber`), `null` until bound. */
  phone: string | null
  created_at: number
}

/**
 * One row per way of logging in: an account of one vendor (`provider`) in one app (`app_id`),
 * named by that vendor's id (`subject`: openid, Alipay user id …). A user has at most one identity
 * per app (unique `user_id, provider, app_id`), so clients can name one without seeing `subject`.
 */
export interface IdentitiesTable {
  provider: string
  app_id: string
  subject: string
  user_id: string
  /** The build target the identity first logged in or was linked from (`mp-weixin`, `h5-weixin` …). */
  platform: string
  /** WeChat's cross-app id as last reported; `null` when the app is not bound to an open-platform account. */
  unionid: string | null
  /** The latest mini-program session key of this identity (secret; needed to decrypt `encryptedData`). */
  session_key: string | null
  created_at: number
}

/**
 * Which user a unionid joins new identities to: the first user seen with it. Its primary key is what
 * makes concurrent first logins of one person on two apps (on any instance) end in one user.
 */
export interface IdentityUnionsTable {
  provider: string
  unionid: string
  user_id: string
}

/** One row per wx.login code ever exchanged (by sha256), kept until WeChat forgot the code too. */
export interface CodeClaimsTable {
  code_hash: string
  expires_at: number
}

/** One row per login; revocation lives here, so it also covers tokens saved after it. */
export interface RefreshFamiliesTable {
  id: string
  user_id: string
  created_at: number
  revoked_at: number | null
}

export interface RefreshTokensTable {
  /** sha256 of the opaque token. */
  hash: string
  family_id: string
  user_id: string
  expires_at: number
  used_at: number | null
  /** sha256 of the token its rotation issued; `null` until rotated (see migration 002). */
  successor_hash: string | null
}

/** Small shared values that may be lost (the WeChat access_token when there is no Redis). */
export interface CacheEntriesTable {
  key: string
  value: string
}

export interface LocksTable {
  name: string
  owner: string
  expires_at: number
}
