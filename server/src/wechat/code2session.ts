import { HttpAuthError } from '../base/errors.js'
import { wxErrorFor } from './errcodes.js'
import { type WxEnvelope, wxFetchJson } from './fetch-json.js'

export interface Code2SessionResult {
  openid: string
  sessionKey: string
  unionid?: string
}

interface Code2SessionBody extends WxEnvelope {
  openid?: string
  session_key?: string
  unionid?: string
}

/** The mini-program login exchange, `sns/jscode2session`, for one app's credentials. */
export async function code2Session(
  app: { appId: string; secret: string; apiBase: string; timeoutMs: number },
  code: string,
): Promise<Code2SessionResult> {
  const query = new URLSearchParams({ appid: app.appId, secret: app.secret, js_code: code, grant_type: 'authorization_code' })
  const body = await wxFetchJson<Code2SessionBody>(`${app.apiBase}/sns/jscode2session?${query}`, {
    timeoutMs: app.timeoutMs,
    label: 'code2Session',
  })
  if (body.errcode !== undefined && body.errcode !== 0) throw wxErrorFor(body.errcode)
  if (!body.openid || !body.session_key) {
    throw new HttpAuthError('WX_ERROR', 'WeChat code2Session answered an incomplete session')
  }
  return { openid: body.openid, sessionKey: body.session_key, ...(body.unionid ? { unionid: body.unionid } : {}) }
}
