import type { ExchangedIdentity } from '../providers/types.js'
import type { AuthStore, UserRecord } from '../store/types.js'

/**
 * The one place a login turns an exchanged identity into a business user.
 *
 * Interim binding on the 0.2 store: WeChat identities are found or created by openid / unionid as
 * before (and the mini-program's session_key kept for phone binding); other vendors' identities
 * get a user keyed by a namespaced subject (`alipay:<appId>:<id>`) that no WeChat openid can
 * equal. The account store with identities replaces both with one call.
 */
export async function bindIdentity(store: AuthStore, identity: ExchangedIdentity): Promise<UserRecord> {
  if (identity.provider !== 'weixin') {
    return store.upsertUser({ openid: `${identity.provider}:${identity.appId}:${identity.subject}` })
  }
  const user = await store.upsertUser({ openid: identity.subject, unionid: identity.unionid })
  if (identity.platform === 'mp-weixin' && identity.sessionKey) await store.saveSessionKey(identity.subject, identity.sessionKey)
  return user
}
