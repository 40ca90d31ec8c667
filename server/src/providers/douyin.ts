import { HttpAuthError } from '../base/errors.js'
import type { ResolvedTarget, SecretAppOptions } from './options.js'
import { parseProviderJson, providerFetchText } from './provider-fetch.js'
import type { ExchangedIdentity, IdentityProvider } from './types.js'

interface Jscode2SessionBody {
  err_no?: number
  err_tips?: string
  data?: { openid?: string; session_key?: string; unionid?: string; anonymous_openid?: string }
}

const LABEL = 'Douyin jscode2session'

/** Douyin's err_no for a bad `code` / `anonymous_code` (expired and used codes included: Douyin does not tell them apart). */
const CODE_REJECTED = new Set([40018, 40019])

function douyinError(errNo: number): HttpAuthError {
  const providerCode = String(errNo)
  if (CODE_REJECTED.has(errNo)) {
    return new HttpAuthError('PROVIDER_CODE_INVALID', 'The Douyin login code is invalid, expired or used; call tt.login again', {
      providerCode,
    })
  }
  if (errNo === -1) return new HttpAuthError('PROVIDER_UNAVAILABLE', 'Douyin is busy; retry later', { providerCode })
  // 40015 (appid) and 40017 (secret) land here too: a server misconfiguration, not the client's fault.
  return new HttpAuthError('PROVIDER_ERROR', `Douyin refused the exchange (err_no ${errNo})`, { providerCode })
}

/** mp-toutiao: `tt.login` code → `POST /api/apps/v2/jscode2session`. */
export function douyinProvider(target: ResolvedTarget<SecretAppOptions>): IdentityProvider {
  const secrets = new Map(target.apps.map((app) => [app.appId, app.secret]))
  return {
    platform: 'mp-toutiao',
    appIds: [...secrets.keys()],
    async exchange(code, appId): Promise<ExchangedIdentity> {
      const secret = secrets.get(appId)
      if (secret === undefined) throw new Error(`mp-toutiao provider asked for unknown AppID ${appId}`)
      const text = await providerFetchText(`${target.apiBase}/api/apps/v2/jscode2session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // The anonymous code is for guests; this login always has a user's code.
        body: JSON.stringify({ appid: appId, secret, code, anonymous_code: '' }),
        timeoutMs: target.timeoutMs,
        label: LABEL,
      })
      const body = parseProviderJson<Jscode2SessionBody>(text, LABEL)
      if (body.err_no !== undefined && body.err_no !== 0) throw douyinError(body.err_no)
      const data = body.data
      if (!data?.openid || !data.session_key) throw new HttpAuthError('PROVIDER_ERROR', `${LABEL} answered without openid or session_key`)
      return {
        provider: 'toutiao',
        platform: 'mp-toutiao',
        appId,
        subject: data.openid,
        ...(data.unionid ? { unionid: data.unionid } : {}),
        sessionKey: data.session_key,
      }
    },
  }
}
