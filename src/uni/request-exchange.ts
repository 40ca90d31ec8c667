import { AuthError } from '../core/errors'
import type { TokenGrant } from '../core/types'
import { withMarker } from './request-marker'
import type { UniLike } from './uni-like'

export interface JsonPostOptions {
  uniApi: UniLike
  url: string
  body: Record<string, unknown>
  /** Bounds the HTTP call itself; the engine's login deadline bounds the whole attempt anyway. */
  timeoutMs: number
}

/**
 * POSTs JSON to the backend and reads a token grant from a 2xx answer. The call carries the bypass
 * marker: the login request must never wait for the session it is about to create.
 */
export function postForGrant({ uniApi, url, body, timeoutMs }: JsonPostOptions): Promise<TokenGrant> {
  return new Promise<TokenGrant>((resolve, reject) => {
    uniApi.request(
      withMarker(
        {
          url,
          method: 'POST',
          data: body,
          header: { 'content-type': 'application/json' },
          timeout: timeoutMs,
          success: (res: { statusCode?: unknown; data?: unknown }) => {
            const status = typeof res?.statusCode === 'number' ? res.statusCode : 0
            if (status < 200 || status >= 300) {
              reject(new AuthError('LOGIN_EXCHANGE_FAILED', `${url} answered HTTP ${status}`, { cause: res?.data }))
              return
            }
            try {
              resolve(parseBody(res.data, url) as TokenGrant)
            } catch (error) {
              reject(error)
            }
          },
          fail: (error: unknown) => reject(error),
        },
        { kind: 'bypass' },
      ),
    )
  })
}

function parseBody(data: unknown, url: string): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data)
  } catch (error) {
    throw new AuthError('LOGIN_EXCHANGE_FAILED', `${url} answered with malformed JSON`, { cause: error })
  }
}
