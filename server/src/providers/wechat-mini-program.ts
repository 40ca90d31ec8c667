import { WechatClient } from '../wechat/client.js'
import type { ResolvedTarget, SecretAppOptions } from './options.js'
import type { ExchangedIdentity, IdentityProvider } from './types.js'

/** mp-weixin: `wx.login` code → `sns/jscode2session` (the exchange of 0.2, one WechatClient per AppID). */
export function wechatMiniProgramProvider(target: ResolvedTarget<SecretAppOptions>): IdentityProvider {
  const clients = new Map(
    target.apps.map((app) => [
      app.appId,
      // tokenEndpoint is unused by code2Session; the plugin's own client fetches access tokens.
      new WechatClient({ ...app, apiBase: target.apiBase, timeoutMs: target.timeoutMs, tokenEndpoint: 'stable' }),
    ]),
  )
  return {
    platform: 'mp-weixin',
    appIds: [...clients.keys()],
    async exchange(code, appId): Promise<ExchangedIdentity> {
      const client = clients.get(appId)
      if (!client) throw new Error(`mp-weixin provider asked for unknown AppID ${appId}`)
      const session = await client.code2Session(code)
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
