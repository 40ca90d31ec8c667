/** Idempotent schema; `CREATE … IF NOT EXISTS` lets every instance run it at start-up. */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id         TEXT PRIMARY KEY,
  openid     TEXT NOT NULL UNIQUE,
  unionid    TEXT UNIQUE,
  phone      TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS session_keys (
  openid      TEXT PRIMARY KEY,
  session_key TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS used_codes (
  code_hash  TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS refresh_tokens (
  hash       TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL,
  family_id  TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens (family_id);
CREATE TABLE IF NOT EXISTS kv (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS locks (
  name       TEXT PRIMARY KEY,
  owner      TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`
