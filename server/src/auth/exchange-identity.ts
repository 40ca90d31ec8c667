import { AuthError } from '../errors.js'
import type { ExchangedIdentity, LoginPlatform } from '../providers/types.js'
import type { WechatClient } from '../wechat/client.js'

/** Trades a one-time code of a build target (and AppID, when several are configured) for an identity. */
export type ExchangeIdentity = (code: string, platform: LoginPlatform, appId?: string) => Promise<ExchangedIdentity>

/** The configured WeChat mini-program (`wx.appId`): `code2Session`. Other targets are refused, naming what is missing. */
export function miniProgramExchange(wechat: WechatClient, appId: string): ExchangeIdentity {
  return async (code, platform, requestedAppId) => {
    if (platform !== 'mp-weixin') {
      throw new AuthError('BAD_REQUEST', `No identity provider is configured for ${platform}; this server exchanges mp-weixin codes only`)
    }
    if (requestedAppId !== undefined && requestedAppId !== appId) {
      throw new AuthError('BAD_REQUEST', `No mini-program with AppID ${requestedAppId} is configured (wx.appId / WX_APPID is ${appId})`)
    }
    const session = await wechat.code2Session(code)
    return {
      provider: 'weixin',
      platform,
      appId,
      subject: session.openid,
      ...(session.unionid ? { unionid: session.unionid } : {}),
      sessionKey: session.sessionKey,
    }
  }
}
