import type { IdentityProviderName, LoginPlatform } from '../providers/types.js'
import type { IdentityRecord } from '../store/types.js'

/** What clients may see of an identity: which vendor and app, never the vendor's user id or a session key. */
export interface PublicIdentity {
  provider: IdentityProviderName
  platform: LoginPlatform
  appId: string
  /** ISO 8601: when it first logged in or was linked. */
  createdAt: string
}

export function toPublicIdentity(identity: IdentityRecord): PublicIdentity {
  return {
    provider: identity.provider,
    platform: identity.platform,
    appId: identity.appId,
    createdAt: new Date(identity.createdAt).toISOString(),
  }
}
