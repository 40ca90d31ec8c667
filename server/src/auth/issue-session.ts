import { type PublicUser, toPublicUser } from '../http/public-user.js'
import type { Clock } from '../base/clock.js'
import type { AuthStore, UserRecord } from '../store/types.js'
import type { AccessTokens } from '../tokens/access-tokens.js'
import { newRefreshToken } from '../tokens/refresh-tokens.js'

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

export async function issueSession(issuer: SessionIssuer, user: UserRecord, familyId: string): Promise<SessionResponse> {
  const { store, accessTokens, config, now } = issuer
  const access = await accessTokens.issue(user.id, familyId)
  const refresh = newRefreshToken()
  await store.saveRefreshToken({
    hash: refresh.hash,
    userId: user.id,
    familyId,
    expiresAt: now() + config.refreshTtlSeconds * 1000,
  })
  return {
    token: access.token,
    expiresIn: access.expiresIn,
    refreshToken: refresh.token,
    refreshExpiresIn: config.refreshTtlSeconds,
    user: toPublicUser(user),
  }
}
