import { HttpAuthError } from '../base/errors.js'
import { wxErrorFor } from './errcodes.js'
import { type WxEnvelope, wxFetchJson } from './fetch-json.js'
import type { ResolvedTarget, SecretAppOptions } from '../providers/options.js'
import { TARGET_SETTINGS } from '../providers/settings.js'
import type { ExchangedIdentity, IdentityProvider, LoginPlatform } from '../providers/types.js'

export type WechatOAuthPlatform = Extract<LoginPlatform, 'h5-weixin' | 'web-weixin' | 'app-weixin'>

interface OAuthTokenBody extends WxEnvelope {
  openid?: string
  unionid?: string
}

/**
 * h5-weixin (official account, snsapi_base), web-weixin (website app, snsapi_login) and
 * app-weixin (open-platform mobile app): one exchange, `sns/oauth2/access_token`, each with its
 * own app's credentials. The user access_token it returns is not kept: the login needs the openid only.
 */
export function wechatOAuthProvider(platform: WechatOAuthPlatform, target: ResolvedTarget<SecretAppOptions>): IdentityProvider {
  const secrets = new Map(target.apps.map((app) => [app.appId, app.secret]))
  const retry = TARGET_SETTINGS[platform].retry
  return {
    platform,
    appIds: [...secrets.keys()],
    async exchange(code, appId): Promise<ExchangedIdentity> {
      const secret = secrets.get(appId)
      if (secret === undefined) throw new Error(`${platform} provider asked for unknown AppID ${appId}`)
      const query = new URLSearchParams({ appid: appId, secret, code, grant_type: 'authorization_code' })
      const body = await wxFetchJson<OAuthTokenBody>(`${target.apiBase}/sns/oauth2/access_token?${query}`, {
        timeoutMs: target.timeoutMs,
        label: 'oauth2/access_token',
      })
      if (body.errcode !== undefined && body.errcode !== 0) throw wxErrorFor(body.errcode, retry)
      if (!body.openid) throw new HttpAuthError('WX_ERROR', 'WeChat oauth2/access_token answered without openid')
      return { provider: 'weixin', platform, appId, subject: body.openid, ...(body.unionid ? { unionid: body.unionid } : {}) }
    },
  }
}
