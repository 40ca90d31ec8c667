/**
 * Tables as Kysely sees them, identical on SQLite and PostgreSQL. Times are milliseconds since the
 * epoch (`bigint` in PostgreSQL, read back as numbers), taken from the app's injectable clock.
 * The migrations in `./migrations/` create exactly this.
 */
export interface Database {
  users: UsersTable
  session_keys: SessionKeysTable
  code_claims: CodeClaimsTable
  refresh_families: RefreshFamiliesTable
  refresh_tokens: RefreshTokensTable
  cache_entries: CacheEntriesTable
  locks: LocksTable
}

export interface UsersTable {
  id: string
  openid: string
  unionid: string | null
  /** The bound phone number (`purePhoneNumber`), `null` until bound. */
  phone: string | null
  created_at: number
}

/** The latest WeChat session_key per openid (needed to decrypt `encryptedData`). */
export interface SessionKeysTable {
  openid: string
  session_key: string
  updated_at: number
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
