import type { AuthError } from './errors.js'
import type { AuthStatus, Session } from './types.js'

/** Why a login attempt started. */
export type LoginReason =
  /** No session at all: first launch, or after a logout. */
  | 'cold-start'
  /** The stored token reached its renewal time. */
  | 'expired'
  /** A restored token meets the first platform session check of the app run. */
  | 'check'
  /** The app came back from a long stay in the background. */
  | 'recheck'
  /** The backend answered 401 to a request carrying token generation `generation`. */
  | 'unauthorized'
  /** `relogin()` was called. */
  | 'relogin'

/** How a login attempt ended. */
export type LoginOutcome = 'confirmed' | 'refreshed' | 'logged-in' | 'failed'

/**
 * What the engine and the request interceptor report, in order. `login` numbers link a request to
 * the attempt it waited on; `request` numbers are per intercepted call. The request events exist in
 * development builds only, so production bundles carry no tracing code on the request path.
 */
export type AuthEvent =
  | { type: 'status'; at: number; status: AuthStatus }
  /** The usable session changed: a login, a restore, a 401, a profile update or a logout. */
  | { type: 'session'; at: number; session: Session | null }
  | { type: 'login-start'; at: number; login: number; reason: LoginReason; generation: number }
  | { type: 'login-end'; at: number; login: number; ms: number; outcome: LoginOutcome; error?: AuthError }
  | { type: 'logout'; at: number }
  /** Development builds only, from here on: the life of each intercepted request. */
  | { type: 'request-start'; at: number; request: number; api: 'request' | 'uploadFile' | 'downloadFile'; method: string; url: string }
  /** The request waits for login attempt `login` (cold start, renewal after a 401). */
  | { type: 'request-wait'; at: number; request: number; login: number }
  /** The request leaves with a token; `replay` counts the replays after a 401 (0 = first send). */
  | { type: 'request-send'; at: number; request: number; replay: number; generation: number }
  /** The backend refused the token of `generation`; a replay follows. */
  | { type: 'request-unauthorized'; at: number; request: number; generation: number }
  /** The caller gets its one outcome: an HTTP status, or the `errMsg` / `AuthError` code of a failure. */
  | { type: 'request-end'; at: number; request: number; statusCode?: number; error?: string }

export type AuthEventListener = (event: AuthEvent) => void

/** The event without its timestamp, which the emitter adds. */
export type AuthEventInit = AuthEvent extends infer E ? (E extends AuthEvent ? Omit<E, 'at'> : never) : never
