import { AuthError } from './errors.js'

/**
 * How the engine paces itself. Every field is optional; `ENGINE_DEFAULTS` holds the defaults and
 * this interface documents them, once.
 */
export interface EngineOptions {
  /** One deadline for a whole login attempt: session check, code and exchange together. @default 10000 */
  loginTimeoutMs?: number
  /**
   * A `checkSession` that has not answered by then counts as "unknown": the token is kept and a 401
   * decides. Never more than half of `loginTimeoutMs`. @default 3000
   */
  checkSessionTimeoutMs?: number
  /**
   * How a token restored at launch meets the first platform session check of the app run.
   * `'background'`: requests use it at once while `checkSession` runs alongside; if WeChat's session
   * turned out expired, one login follows and later requests carry the new token.
   * `'blocking'`: requests wait for that one `checkSession` round trip first.
   * @default 'background'
   */
  sessionCheck?: 'background' | 'blocking'
  /** A token this close to its expiry is renewed before use (never earlier than half its life). @default 30000 */
  expirySkewMs?: number
  /** After this long in the background, the platform session is checked once more. @default 300000 */
  recheckAfterBackgroundMs?: number
  /**
   * Pause after the second failed login in a row, doubling with each further failure up to
   * `backoffMaxMs`. The first failure has no pause: one flaky attempt is retried at once. @default 1000
   */
  backoffMs?: number
  /** @default 30000 */
  backoffMaxMs?: number
  /** Storage key of the persisted session. @default 'uni-mp-auth:session' */
  storageKey?: string
}

export const ENGINE_DEFAULTS: Readonly<Required<EngineOptions>> = {
  loginTimeoutMs: 10_000,
  checkSessionTimeoutMs: 3000,
  sessionCheck: 'background',
  expirySkewMs: 30_000,
  recheckAfterBackgroundMs: 300_000,
  backoffMs: 1000,
  backoffMaxMs: 30_000,
  storageKey: 'uni-mp-auth:session',
}

/**
 * Fills in the defaults. Development builds also refuse values that would make the engine hang or
 * spin; production builds drop that check (the options are the app's own code, checked in development).
 */
export function resolveEngineOptions(options: EngineOptions = {}): Required<EngineOptions> {
  const resolved: Record<string, unknown> = { ...ENGINE_DEFAULTS }
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue
    if (process.env.NODE_ENV !== 'production') assertEngineOption(key, value)
    resolved[key] = value
  }
  return resolved as Required<EngineOptions>
}

function assertEngineOption(key: string, value: unknown): void {
  const fallback = ENGINE_DEFAULTS[key as keyof EngineOptions]
  const valid =
    key === 'sessionCheck'
      ? value === 'background' || value === 'blocking'
      : typeof value === typeof fallback &&
        (typeof value === 'string' ? value !== '' : (value as number) >= (key === 'loginTimeoutMs' ? 1 : 0) && (value as number) < 2 ** 31)
  if (!valid) throw new AuthError('INVALID_OPTIONS', `engine.${key} = ${show(value)} is invalid (default ${show(fallback)})`)
}

/** JSON for strings, plain text for numbers (JSON would print NaN and Infinity as null). */
function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value)
}
