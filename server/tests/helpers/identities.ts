import { randomUUID } from 'node:crypto'
import type { ExchangedIdentity } from '../../src/providers/types.js'
import type { AuthStore, NewLogin, UserRecord } from '../../src/store/types.js'

export const MP_APPID = 'wx-mp-app-01'
export const H5_APPID = 'wx-h5-app-01'

/** A WeChat mini-program identity as the provider would exchange it. */
export function mpWeixin(subject: string, extra: Partial<ExchangedIdentity> = {}): ExchangedIdentity {
  return { provider: 'weixin', platform: 'mp-weixin', appId: MP_APPID, subject, sessionKey: `sk-${subject}`, ...extra }
}

/** A WeChat H5 (official account) identity: no session key. */
export function h5Weixin(subject: string, extra: Partial<ExchangedIdentity> = {}): ExchangedIdentity {
  return { provider: 'weixin', platform: 'h5-weixin', appId: H5_APPID, subject, ...extra }
}

export function alipay(subject: string): ExchangedIdentity {
  return { provider: 'alipay', platform: 'mp-alipay', appId: '2021000000000001', subject }
}

/** A login's new refresh family with its first token (`hash` = `h-<family id>`). */
export function newLogin(expiresAt = Date.now() + 60_000): NewLogin {
  const familyId = randomUUID()
  return { familyId, refreshTokenHash: `h-${familyId}`, refreshExpiresAt: expiresAt }
}

/** Logs the identity in (as the login route does) and resolves its user. */
export function loginAs(store: AuthStore, identity: ExchangedIdentity, login: NewLogin = newLogin()): Promise<UserRecord> {
  return store.loginWithIdentity(identity, login)
}
