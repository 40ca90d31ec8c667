import { type Dispatcher, request } from 'undici'
import { HttpAuthError } from '../base/errors.js'

export interface ProviderFetchOptions {
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  timeoutMs: number
  /** "Alipay alipay.system.oauth.token": named in errors instead of the URL, which may carry secrets. */
  label: string
}

/**
 * Calls a vendor's server API with a hard timeout and returns the raw body text (Alipay verifies
 * its signature over the exact text). Every transport failure, non-2xx answer or timeout becomes
 * PROVIDER_UNAVAILABLE: the code may still be good, the client may retry with a new one.
 */
export async function providerFetchText(url: string, options: ProviderFetchOptions): Promise<string> {
  const signal = AbortSignal.timeout(options.timeoutMs)
  const failed = () =>
    new HttpAuthError('PROVIDER_UNAVAILABLE', signal.aborted ? `${options.label} timed out` : `${options.label} is unreachable`)
  let response: Dispatcher.ResponseData
  try {
    response = await request(url, { method: options.method, headers: options.headers, body: options.body, signal })
  } catch {
    throw failed()
  }
  if (response.statusCode < 200 || response.statusCode > 299) {
    // Drain the body so the connection can be reused; its content is not trusted.
    await response.body.dump().catch(() => undefined)
    throw new HttpAuthError('PROVIDER_UNAVAILABLE', `${options.label} answered HTTP ${response.statusCode}`)
  }
  try {
    return await response.body.text()
  } catch {
    throw failed()
  }
}

/** Parses a vendor's JSON answer; anything else is the vendor misbehaving, not the client. */
export function parseProviderJson<T>(text: string, label: string): T {
  try {
    const parsed: unknown = JSON.parse(text)
    if (parsed !== null && typeof parsed === 'object') return parsed as T
  } catch {
    // fall through
  }
  throw new HttpAuthError('PROVIDER_UNAVAILABLE', `${label} answered with invalid JSON`)
}
