import { HttpAuthError } from '../base/errors.js'
import type { AuthStore } from '../store/types.js'

// A wx.login code lives 5 minutes at WeChat; remembering it twice as long covers clock skew.
const CODE_GUARD_TTL_MS = 10 * 60_000

/**
 * Claims a one-time login code before it is exchanged, so a replayed code never costs an upstream
 * call, on any instance; a code seen before is `WX_CODE_USED`.
 */
export async function claimLoginCode(store: AuthStore, code: string, retry = 'call wx.login again'): Promise<void> {
  if (!(await store.claimCode(code, CODE_GUARD_TTL_MS))) {
    throw new HttpAuthError('WX_CODE_USED', `The login code has already been used; ${retry}`)
  }
}
