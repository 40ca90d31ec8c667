// These run on every intercepted request: string indexes instead of URL objects (which
// mini-programs lack), and the one regex tested once per request.
const ORIGIN = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i
const SLASH = 47

/** Whether `url` starts with a scheme (`https://…`). */
export function isAbsolute(url: string): boolean {
  return ORIGIN.test(url)
}

/** `https://api.example.com` of an absolute URL, or `undefined` for a relative one. */
export function originOf(url: string): string | undefined {
  return ORIGIN.exec(url)?.[0]
}

/** A relative URL under `base` (no trailing slash), whatever slashes it starts with. */
export function joinUrl(base: string, url: string): string {
  let start = 0
  while (url.charCodeAt(start) === SLASH) start++
  return `${base}/${start ? url.slice(start) : url}`
}

/** Joins a relative URL onto `base`; absolute URLs, or any URL without a base, pass through untouched. */
export function resolveUrl(base: string | undefined, url: string): string {
  return base && !isAbsolute(url) ? joinUrl(base, url) : url
}

/**
 * Whether the absolute `url` lies under `scope` (a base URL without trailing slash), so the token
 * never goes to another host. No scope means every URL.
 */
export function inScope(scope: string | undefined, url: string): boolean {
  if (!scope) return true
  const next = url.charCodeAt(scope.length)
  // End of string, '/', '?' or '#' right after the scope: `https://api.x.com.evil.com` is not under `https://api.x.com`.
  return url.startsWith(scope) && (url.length === scope.length || next === SLASH || next === 63 || next === 35)
}

/** The path without query, hash and slashes at either end: `/pages/a/?x=1` → `pages/a`. */
export function pathKey(url: string): string {
  const query = url.indexOf('?')
  const hash = url.indexOf('#')
  let end = query < 0 ? (hash < 0 ? url.length : hash) : hash < 0 || query < hash ? query : hash
  let start = 0
  while (start < end && url.charCodeAt(start) === SLASH) start++
  while (end > start && url.charCodeAt(end - 1) === SLASH) end--
  return start === 0 && end === url.length ? url : url.slice(start, end)
}
