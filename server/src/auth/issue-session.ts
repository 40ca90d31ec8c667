import type { Clock } from '../base/clock.js'
import { type PublicUser, toPublicUser } from '../http/public-user.js'
import type { ExchangedIdentity } from '../providers/types.js'
import type { AuthStore, UserRecord } from '../store/types.js'
import type { AccessTokens } from '../tokens/access-tokens.js'
import { newFamilyId, newRefreshToken } from '../tokens/refresh-tokens.js'

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

async function sessionResponse(issuer: SessionIssuer, user: UserRecord, familyId: string, refreshToken: string): Promise<SessionResponse> {
  const access = await issuer.accessTokens.issue(user.id, familyId)
  return {
    token: access.token,
    expiresIn: access.expiresIn,
    refreshToken,
    refreshExpiresIn: issuer.config.refreshTtlSeconds,
    user: toPublicUser(user),
  }
}

/** A rotation: the next refresh token of an existing family, and a new access token. */
export async function issueSession(issuer: SessionIssuer, user: UserRecord, familyId: string): Promise<SessionResponse> {
  const { store, config, now } = issuer
  const refresh = newRefreshToken()
  await store.saveRefreshToken({
    hash: refresh.hash,
    userId: user.id,
    familyId,
    expiresAt: now() + config.refreshTtlSeconds * 1000,
  })
  return sessionResponse(issuer, user, familyId, refresh.token)
}

/** A login: the identity's user and the login's refresh family are written in one store transaction. */
export async function issueLoginSession(issuer: SessionIssuer, identity: ExchangedIdentity): Promise<SessionResponse> {
  const { store, config, now } = issuer
  const refresh = newRefreshToken()
  const familyId = newFamilyId()
  const user = await store.loginWithIdentity(identity, {
    familyId,
    refreshTokenHash: refresh.hash,
    refreshExpiresAt: now() + config.refreshTtlSeconds * 1000,
  })
  return sessionResponse(issuer, user, familyId, refresh.token)
}
