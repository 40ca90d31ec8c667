import { AuthError } from '../core/errors.js'
import type { TokenGrant } from '../core/types.js'
import { BYPASS, withMarker } from './request-marker.js'
import type { UniLike } from './uni-host.js'

/** uni's answer to a request: any HTTP status arrives here, only a network failure rejects. */
export interface UniResponse {
  statusCode: number
  data?: unknown
  header?: Record<string, unknown>
}

/**
 * The plugin's own calls (login, refresh, logout, phone binding): JSON POSTs past the auth
 * interceptor, because they must never wait for the session they create or be replayed by it.
 */
export function postJson(uniApi: UniLike, url: string, data: unknown, header?: Record<string, string>): Promise<UniResponse> {
  return new Promise((resolve, reject) => {
    uniApi.request(
      withMarker(
        { url, method: 'POST', data, header: { 'content-type': 'application/json', ...header }, success: resolve, fail: reject },
        BYPASS,
      ),
    )
  })
}

export function isOk({ statusCode }: UniResponse): boolean {
  return statusCode >= 200 && statusCode < 300
}

/**
 * POSTs `{ code, platform, appId }` or `{ refreshToken }` (undefined fields drop out of the JSON) and hands the 2xx body to the engine, which checks its shape.
 * A refusal carries the server's `Retry-After` (429, 503), so the engine waits at least that long.
 */
export async function requestGrant(uniApi: UniLike, url: string, data: Record<string, string | undefined>): Promise<TokenGrant> {
  const response = await postJson(uniApi, url, data)
  if (isOk(response)) return response.data as TokenGrant
  const retryAfter = Number(response.header?.['Retry-After'] ?? response.header?.['retry-after'])
  throw new AuthError(
    'LOGIN_EXCHANGE_FAILED',
    `${url} answered HTTP ${response.statusCode}`,
    response.data,
    retryAfter > 0 ? retryAfter * 1000 : undefined,
  )
}
