import { HttpAuthError } from '../base/errors.js'
import type { ResolvedTarget, SecretAppOptions } from './options.js'
import { parseProviderJson, providerFetchText } from './provider-fetch.js'
import type { ExchangedIdentity, IdentityProvider } from './types.js'

interface Jscode2SessionBody {
  errcode?: number
  errmsg?: string
  openid?: string
  session_key?: string
  unionid?: string
}

const LABEL = 'QQ jscode2session'

/**
 * QQ's errcodes mapped to the server's codes: -1, 40029 and 45011 as QQ documents them; 40163 (a used
 * code), which QQ does not document, as WeChat means it.
 */
function qqError(errcode: number): HttpAuthError {
  const providerCode = String(errcode)
  if (errcode === 40029) {
    return new HttpAuthError('PROVIDER_CODE_INVALID', 'The QQ login code is invalid or expired; call qq.login again', { providerCode })
  }
  if (errcode === 40163)
    return new HttpAuthError('PROVIDER_CODE_USED', 'The QQ login code has already been used; call qq.login again', { providerCode })
  if (errcode === 45011) return new HttpAuthError('PROVIDER_RATE_LIMITED', 'QQ rate limit reached; retry later', { providerCode })
  if (errcode === -1) return new HttpAuthError('PROVIDER_UNAVAILABLE', 'QQ is busy; retry later', { providerCode })
  // A wrong AppID or AppSecret lands here: a server misconfiguration, not the client's fault.
  return new HttpAuthError('PROVIDER_ERROR', `QQ refused the exchange (errcode ${errcode})`, { providerCode })
}

/** mp-qq: `qq.login` code → `GET sns/jscode2session` on api.q.qq.com (WeChat's shape, QQ's host and ids). */
export function qqProvider(target: ResolvedTarget<SecretAppOptions>): IdentityProvider {
  const secrets = new Map(target.apps.map((app) => [app.appId, app.secret]))
  return {
    platform: 'mp-qq',
    appIds: [...secrets.keys()],
    async exchange(code, appId): Promise<ExchangedIdentity> {
      const secret = secrets.get(appId)
      if (secret === undefined) throw new Error(`mp-qq provider asked for unknown AppID ${appId}`)
      const query = new URLSearchParams({ appid: appId, secret, js_code: code, grant_type: 'authorization_code' })
      const text = await providerFetchText(`${target.apiBase}/sns/jscode2session?${query}`, {
        method: 'GET',
        timeoutMs: target.timeoutMs,
        label: LABEL,
      })
      const body = parseProviderJson<Jscode2SessionBody>(text, LABEL)
      // Absent or 0 on success.
      if (body.errcode) throw qqError(body.errcode)
      if (!body.openid || !body.session_key) throw new HttpAuthError('PROVIDER_ERROR', `${LABEL} answered without openid or session_key`)
      return {
        provider: 'qq',
        platform: 'mp-qq',
        appId,
        subject: body.openid,
        ...(body.unionid ? { unionid: body.unionid } : {}),
        sessionKey: body.session_key,
      }
    },
  }
}
