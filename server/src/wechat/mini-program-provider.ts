import type { ResolvedTarget, SecretAppOptions } from '../providers/options.js'
import type { ExchangedIdentity, IdentityProvider } from '../providers/types.js'
import { code2Session } from './code2session.js'

/** mp-weixin: `wx.login` code → `sns/jscode2session` (the exchange of 0.2), with the credentials of the AppID named. */
export function wechatMiniProgramProvider(target: ResolvedTarget<SecretAppOptions>): IdentityProvider {
  const secrets = new Map(target.apps.map((app) => [app.appId, app.secret]))
  return {
    platform: 'mp-weixin',
    appIds: [...secrets.keys()],
    async exchange(code, appId): Promise<ExchangedIdentity> {
      const secret = secrets.get(appId)
      if (secret === undefined) throw new Error(`mp-weixin provider asked for unknown AppID ${appId}`)
      const session = await code2Session({ appId, secret, apiBase: target.apiBase, timeoutMs: target.timeoutMs }, code)
      return {
        provider: 'weixin',
        platform: 'mp-weixin',
        appId,
        subject: session.openid,
        ...(session.unionid ? { unionid: session.unionid } : {}),
        sessionKey: session.sessionKey,
      }
    },
  }
}
