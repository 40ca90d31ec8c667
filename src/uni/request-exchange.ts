import { AuthError } from '../core/errors'
import type { TokenGrant } from '../core/types'
import { bypassPost, isSuccess } from './bypass-post'
import type { UniLike } from './uni-like'

export interface GrantRequestOptions {
  uniApi: UniLike
  url: string
  body: Record<string, unknown>
  /** Bounds the HTTP call itself; the engine's login deadline bounds the whole attempt anyway. */
  timeoutMs: number
}

/** POSTs `{ code }` or `{ refreshToken }` and reads a token grant from a 2xx JSON answer. */
export async function postForGrant(options: GrantRequestOptions): Promise<TokenGrant> {
  const response = await bypassPost(options)
  if (!isSuccess(response)) {
    throw new AuthError('LOGIN_EXCHANGE_FAILED', `${options.url} answered HTTP ${response.statusCode}`, { cause: response.data })
  }
  if (response.malformed) throw new AuthError('LOGIN_EXCHANGE_FAILED', `${options.url} answered with malformed JSON`)
  // The engine validates the grant's shape (assertTokenGrant) before trusting it.
  return response.data as TokenGrant
}
