import { type PublicUser, toPublicUser } from '../http/public-user.js'
import type { Services } from '../services.js'
import type { UserRecord } from '../store/types.js'
import { type NewRefreshToken, newRefreshToken } from '../tokens/refresh-tokens.js'

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

/** When a refresh token issued now expires. */
export function refreshExpiry(services: Services): number {
  return services.now() + services.config.refreshTtlSeconds * 1000
}

/** The answer for a refresh token already saved: signs the access token (local work, nothing left to fail). */
export async function sessionResponse(
  services: Services,
  user: UserRecord,
  familyId: string,
  refresh: NewRefreshToken,
): Promise<SessionResponse> {
  const access = await services.accessTokens.issue(user.id, familyId)
  return {
    token: access.token,
    expiresIn: access.expiresIn,
    refreshToken: refresh.token,
    refreshExpiresIn: services.config.refreshTtlSeconds,
    user: toPublicUser(user),
  }
}

/** A new login: its first refresh token starts the family `familyId`. */
export async function issueSession(services: Services, user: UserRecord, familyId: string): Promise<SessionResponse> {
  const refresh = newRefreshToken()
  // Signed first: once the token is saved, only building the answer is left.
  const response = await sessionResponse(services, user, familyId, refresh)
  await services.store.saveRefreshToken({ hash: refresh.hash, userId: user.id, familyId, expiresAt: refreshExpiry(services) })
  return response
}
