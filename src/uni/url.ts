const ABSOLUTE_URL = /^[a-z][a-z\d+\-.]*:\/\//i

export function isAbsoluteUrl(url: string): boolean {
  return ABSOLUTE_URL.test(url)
}

/** Joins a relative request URL onto `baseUrl`; absolute URLs pass through untouched. */
export function resolveUrl(baseUrl: string | undefined, url: string): string {
  if (!baseUrl || isAbsoluteUrl(url)) return url
  return `${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`
}

/** The URL without query, hash and trailing slashes, so `/auth/login?x=1` matches `/auth/login`. */
export function pathKey(url: string): string {
  const end = url.search(/[?#]/)
  return (end === -1 ? url : url.slice(0, end)).replace(/\/+$/, '')
}
