import { withMarker } from './request-marker'
import type { UniLike } from './uni-like'

export interface BypassPostOptions {
  uniApi: UniLike
  url: string
  body: Record<string, unknown>
  header?: Record<string, string>
  timeoutMs?: number
}

export interface JsonResponse {
  /** 0 when uni reported no status. */
  statusCode: number
  /** Parsed when the body arrived as a JSON string; `undefined` when it was not valid JSON. */
  data: unknown
  /** The body did not parse as JSON. */
  malformed: boolean
}

/**
 * POSTs JSON past the auth interceptor (bypass marker): the plugin's own calls — login, refresh,
 * logout, phone binding — must never wait for a session or be replayed by it.
 * Resolves with any HTTP answer; rejects only when no answer came (uni's `fail`).
 */
export function bypassPost({ uniApi, url, body, header = {}, timeoutMs }: BypassPostOptions): Promise<JsonResponse> {
  return new Promise<JsonResponse>((resolve, reject) => {
    uniApi.request(
      withMarker(
        {
          url,
          method: 'POST',
          data: body,
          header: { 'content-type': 'application/json', ...header },
          ...(timeoutMs ? { timeout: timeoutMs } : {}),
          success: (res: { statusCode?: unknown; data?: unknown }) => resolve(toJsonResponse(res)),
          fail: (error: unknown) => reject(error),
        },
        { kind: 'bypass' },
      ),
    )
  })
}

function toJsonResponse(res: { statusCode?: unknown; data?: unknown } | undefined): JsonResponse {
  const statusCode = typeof res?.statusCode === 'number' ? res.statusCode : 0
  if (typeof res?.data !== 'string') return { statusCode, data: res?.data, malformed: false }
  try {
    return { statusCode, data: JSON.parse(res.data), malformed: false }
  } catch {
    return { statusCode, data: undefined, malformed: true }
  }
}

export function isSuccess({ statusCode }: JsonResponse): boolean {
  return statusCode >= 200 && statusCode < 300
}
