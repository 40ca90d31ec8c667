import { HttpAuthError } from '../base/errors.js'
import type { ExchangedIdentity, LoginPlatform } from '../providers/types.js'

/** Trades a one-time code of a build target (and AppID, when several are configured) for an identity. */
export type ExchangeIdentity = (code: string, platform: LoginPlatform, appId?: string) => Promise<ExchangedIdentity>

/** What the mini-program exchange needs of the WeChat client. */
export interface Code2Session {
  code2Session(code: string): Promise<{ openid: string; sessionKey: string; unionid?: string }>
}

/** The configured WeChat mini-program (`wx.appId`): `code2Session`. Other targets are refused, naming what is missing. */
export function miniProgramExchange(wechat: Code2Session, appId: string): ExchangeIdentity {
  return async (code, platform, requestedAppId) => {
    if (platform !== 'mp-weixin') {
      throw new HttpAuthError(
        'BAD_REQUEST',
        `No identity provider is configured for ${platform}; this server exchanges mp-weixin codes only`,
      )
    }
    if (requestedAppId !== undefined && requestedAppId !== appId) {
      throw new HttpAuthError('BAD_REQUEST', `No mini-program with AppID ${requestedAppId} is configured (wx.appId / WX_APPID is ${appId})`)
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
