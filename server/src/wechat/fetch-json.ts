import { AuthError } from '../errors.js'

export interface WxFetchOptions {
  method?: 'GET' | 'POST'
  body?: unknown
  timeoutMs: number
  /** Name used in error messages instead of the URL: WeChat URLs carry the AppSecret. */
  label: string
}

/** WeChat's envelope: `errcode` is absent or 0 on success. */
export interface WxEnvelope {
  errcode?: number
  errmsg?: string
}

/**
 * Calls WeChat with a hard timeout and turns every transport failure into WX_UNAVAILABLE.
 * The URL is never put into an error or log, because it may contain `secret=`.
 */
export async function wxFetchJson<T extends WxEnvelope>(url: string, options: WxFetchOptions): Promise<T> {
  let response: Response
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: options.body === undefined ? undefined : { 'content-type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs),
    })
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    throw new AuthError('WX_UNAVAILABLE', timedOut ? `WeChat ${options.label} timed out` : `WeChat ${options.label} is unreachable`)
  }
  if (!response.ok) {
    // Drain the body so the connection can be reused; its content is not trusted.
    await response.arrayBuffer().catch(() => undefined)
    throw new AuthError('WX_UNAVAILABLE', `WeChat ${options.label} answered HTTP ${response.status}`)
  }
  try {
    return (await response.json()) as T
  } catch {
    throw new AuthError('WX_UNAVAILABLE', `WeChat ${options.label} answered with invalid JSON`)
  }
}
