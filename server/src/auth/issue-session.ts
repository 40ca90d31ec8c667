import type { Clock } from '../base/clock.js'
import { type PublicUser, toPublicUser } from '../http/public-user.js'
import type { ExchangedIdentity } from '../providers/types.js'
import type { AuthStore, UserRecord } from '../store/types.js'
import type { AccessTokens } from '../tokens/access-tokens.js'
import { type NewRefreshToken, newFamilyId, newRefreshToken } from '../tokens/refresh-tokens.js'

/** Body of a successful login or refresh. */
export interface SessionResponse {
  /** JWT for `Authorization: Bearer …`. */
  token: string
  /** Seconds until `token` expires. */
  expiresIn: number
  /** Opaque, single-use: exchange it at POST /auth/refresh for a new pair. */
  refreshToken: string
  /** Seconds until `refreshToken` expires. */
  refreshExpiresIn: number
  user: PublicUser
}

/** What issuing a session needs (the routes pass their `Services`). */
export interface SessionIssuer {
  store: AuthStore
  accessTokens: AccessTokens
  config: { refreshTtlSeconds: number }
  now: Clock
}

/** When a refresh token issued now expires. */
export function refreshExpiry(issuer: SessionIssuer): number {
  return issuer.now() + issuer.config.refreshTtlSeconds * 1000
}

/** The answer for a refresh token already saved: signs the access token (local work, nothing left to fail). */
export async function sessionResponse(
  issuer: SessionIssuer,
  user: UserRecord,
  familyId: string,
  refresh: NewRefreshToken,
): Promise<SessionResponse> {
  const access = await issuer.accessTokens.issue(user.id, familyId)
  return {
    token: access.token,
    expiresIn: access.expiresIn,
    refreshToken: refresh.token,
    refreshExpiresIn: issuer.config.refreshTtlSeconds,
    user: toPublicUser(user),
  }
}

/** A new login: its first refresh token starts the family `familyId`. */
export async function issueSession(issuer: SessionIssuer, user: UserRecord, familyId: string): Promise<SessionResponse> {
  const refresh = newRefreshToken()
  // Signed first: once the token is saved, only building the answer is left.
  const response = await sessionResponse(issuer, user, familyId, refresh)
  await issuer.store.saveRefreshToken({ hash: refresh.hash, userId: user.id, familyId, expiresAt: refreshExpiry(issuer) })
  return response
}

/**
 * A login: the identity's user, its session key and the login's refresh family with its first token
 * are written in one store transaction; the access token is signed after (it needs the user's id).
 */
export async function issueLoginSession(issuer: SessionIssuer, identity: ExchangedIdentity): Promise<SessionResponse> {
  const refresh = newRefreshToken()
  const familyId = newFamilyId()
  const user = await issuer.store.loginWithIdentity(identity, {
    familyId,
    refreshTokenHash: refresh.hash,
    refreshExpiresAt: refreshExpiry(issuer),
  })
  return sessionResponse(issuer, user, familyId, refresh)
}
