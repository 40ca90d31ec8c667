// These run on every intercepted request: plain index arithmetic instead of regex replaces.
const ABSOLUTE_URL = /^[a-z][a-z\d+\-.]*:\/\//i
const SLASH = 47

export function isAbsoluteUrl(url: string): boolean {
  return ABSOLUTE_URL.test(url)
}

/** `baseUrl` without trailing slashes, the form every other helper here expects. */
export function normalizeBaseUrl(baseUrl: string | undefined): string | undefined {
  if (!baseUrl) return undefined
  let end = baseUrl.length
  while (end > 0 && baseUrl.charCodeAt(end - 1) === SLASH) end--
  return baseUrl.slice(0, end)
}

/** Joins a relative request URL onto a normalized `baseUrl`; absolute URLs pass through untouched. */
export function resolveUrl(baseUrl: string | undefined, url: string): string {
  if (!baseUrl || isAbsoluteUrl(url)) return url
  let start = 0
  while (start < url.length && url.charCodeAt(start) === SLASH) start++
  return `${baseUrl}/${start === 0 ? url : url.slice(start)}`
}

/** The URL without query, hash and trailing slashes, so `/auth/login?x=1` matches `/auth/login`. */
export function pathKey(url: string): string {
  let end = url.length
  const query = url.indexOf('?')
  if (query !== -1) end = query
  const hash = url.indexOf('#')
  if (hash !== -1 && hash < end) end = hash
  while (end > 0 && url.charCodeAt(end - 1) === SLASH) end--
  return end === url.length ? url : url.slice(0, end)
}
