import { HttpAuthError } from '../base/errors.js'
import { TARGET_SETTINGS } from '../providers/settings.js'
import type { LoginPlatform } from '../providers/types.js'
import type { AuthStore } from '../store/types.js'

// A wx.login code lives 5 minutes at WeChat (an Alipay auth code may live longer, but is spent by
// the first exchange either way); remembering it twice as long covers clock skew.
const CODE_GUARD_TTL_MS = 10 * 60_000

function codeUsed(platform: LoginPlatform): HttpAuthError {
  const retry = TARGET_SETTINGS[platform].retry
  return platform.endsWith('-weixin')
    ? new HttpAuthError('WX_CODE_USED', `The login code has already been used; ${retry}`)
    : new HttpAuthError('PROVIDER_CODE_USED', `The login code has already been used; ${retry}`)
}

/**
 * Claims a one-time login code before it is exchanged (login and link alike), so a replayed code
 * never costs an upstream call, on any instance; per target and AppID, because two vendors may well
 * issue the same code string. A code seen before is `WX_CODE_USED` / `PROVIDER_CODE_USED`.
 */
export async function claimLoginCode(store: AuthStore, platform: LoginPlatform, appId: string, code: string): Promise<void> {
  if (!(await store.claimCode(`${platform}:${appId}:${code}`, CODE_GUARD_TTL_MS))) throw codeUsed(platform)
}
