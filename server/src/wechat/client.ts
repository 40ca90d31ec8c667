import type { WechatOptions } from '../config/options.js'
import { HttpAuthError } from '../base/errors.js'
import { wxErrorFor } from './errcodes.js'
import type { FetchedAccessToken } from './access-token.js'
import { type Code2SessionResult, code2Session } from './code2session.js'
import { type WxEnvelope, wxFetchJson } from './fetch-json.js'

export type { FetchedAccessToken } from './access-token.js'
export type { Code2SessionResult } from './code2session.js'

export interface PhoneInfo {
  phoneNumber: string
  purePhoneNumber: string
  countryCode: string
}

interface AccessTokenBody extends WxEnvelope {
  access_token?: string
  expires_in?: number
}

interface PhoneBody extends WxEnvelope {
  phone_info?: PhoneInfo & { watermark?: { appid?: string } }
}

function failIfErrcode(body: WxEnvelope): void {
  if (body.errcode !== undefined && body.errcode !== 0) throw wxErrorFor(body.errcode)
}

/** Thin typed wrapper over the three WeChat server APIs the login flow needs. */
export class WechatClient {
  constructor(private readonly options: WechatOptions) {}

  code2Session(code: string): Promise<Code2SessionResult> {
    return code2Session(this.options, code)
  }

  /** `forceRefresh` asks stable_token for a new token after WeChat rejected the cached one. */
  async fetchAccessToken(forceRefresh = false): Promise<FetchedAccessToken> {
    const { apiBase, appId, secret, timeoutMs, tokenEndpoint } = this.options
    const body =
      tokenEndpoint === 'stable'
        ? await wxFetchJson<AccessTokenBody>(`${apiBase}/cgi-bin/stable_token`, {
            method: 'POST',
            body: { grant_type: 'client_credential', appid: appId, secret, force_refresh: forceRefresh },
            timeoutMs,
            label: 'stable_token',
          })
        : await wxFetchJson<AccessTokenBody>(
            `${apiBase}/cgi-bin/token?${new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret })}`,
            { timeoutMs, label: 'token' },
          )
    failIfErrcode(body)
    if (!body.access_token || typeof body.expires_in !== 'number') {
      throw new HttpAuthError('WX_ERROR', 'WeChat token endpoint answered without access_token')
    }
    return { accessToken: body.access_token, expiresIn: body.expires_in }
  }

  async getPhoneNumber(accessToken: string, code: string): Promise<PhoneInfo> {
    const { apiBase, appId, timeoutMs } = this.options
    const body = await wxFetchJson<PhoneBody>(
      `${apiBase}/wxa/business/getuserphonenumber?${new URLSearchParams({ access_token: accessToken })}`,
      { method: 'POST', body: { code }, timeoutMs, label: 'getuserphonenumber' },
    )
    failIfErrcode(body)
    const info = body.phone_info
    if (!info?.purePhoneNumber) throw new HttpAuthError('WX_ERROR', 'WeChat getuserphonenumber answered without phone_info')
    if (info.watermark?.appid !== undefined && info.watermark.appid !== appId) {
      throw new HttpAuthError('WX_ERROR', 'Phone number watermark belongs to another app')
    }
    return { phoneNumber: info.phoneNumber, purePhoneNumber: info.purePhoneNumber, countryCode: info.countryCode }
  }
}
