/**
 * The contract between the login route, the identity providers and the account store.
 * One login request names its build target; the provider configured for that target trades the
 * one-time code for an identity; the store binds the identity to a business user.
 */

/** Build targets that can log in, named as uni-app names its platforms (`UNI_PLATFORM`). */
export const LOGIN_PLATFORMS = [
  'mp-weixin', // WeChat mini-program: wx.login → sns/jscode2session
  'h5-weixin', // H5 inside WeChat (official account OAuth, snsapi_base) → sns/oauth2/access_token
  'web-weixin', // PC website (open platform QR login, snsapi_login) → sns/oauth2/access_token
  'app-weixin', // App (open platform mobile app) → sns/oauth2/access_token
  'mp-alipay', // Alipay mini-program: my.getAuthCode → alipay.system.oauth.token (RSA2)
  'mp-toutiao', // Douyin mini-program: tt.login → api/apps/v2/jscode2session
  'mp-qq', // QQ mini-program: qq.login → api.q.qq.com sns/jscode2session
] as const

export type LoginPlatform = (typeof LOGIN_PLATFORMS)[number]

/**
 * The namespace in which `subject` (and `unionid`) are unique. Every WeChat target shares one
 * namespace because WeChat's `unionid` joins a person's identities across apps of one open-platform
 * account; other vendors' identities join a user only through an explicit, authenticated link.
 */
export type IdentityProviderName = 'weixin' | 'alipay' | 'toutiao' | 'qq'

/** What a provider learned from one code. Only `sessionKey` is secret: it never leaves the server. */
export interface ExchangedIdentity {
  provider: IdentityProviderName
  platform: LoginPlatform
  /** The AppID whose credentials made the exchange. */
  appId: string
  /** The user's id inside that app: `openid` (WeChat, Douyin), `open_id` / `user_id` (Alipay). */
  subject: string
  /** WeChat's cross-app id, present when the app is bound to an open-platform account. */
  unionid?: string
  /** Mini-program session key (WeChat, Douyin): kept for phone binding and data decryption. */
  sessionKey?: string
}

/** One build target with its credentials; several AppIDs allowed (two mini-programs of one company). */
export interface IdentityProvider {
  readonly platform: LoginPlatform
  /** The AppIDs configured for this target; the first is used when a login names none. */
  readonly appIds: readonly string[]
  /** Rejects with the server's typed HTTP error (invalid or used code, upstream down, bad signature). */
  exchange(code: string, appId: string): Promise<ExchangedIdentity>
}
