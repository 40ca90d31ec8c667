const ABSOLUTE_URL = /^[a-z][a-z\d+\-.]*:\/\//i

export function isAbsoluteUrl(url: string): boolean {
  return ABSOLUTE_URL.test(url)
}

/** Joins a relative request URL onto `baseUrl`; absolute URLs pass through untouched. */
export function resolveUrl(baseUrl: string | undefined, url: string): string {
  if (!baseUrl || isAbsoluteUrl(url)) return url
  return `${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`
}

/** Same URL ignoring query and hash, so `/auth/login?x=1` still matches the login URL. */
export function samePath(a: string, b: string): boolean {
  const strip = (url: string) => url.split(/[?#]/, 1)[0]!.replace(/\/+$/, '')
  return strip(a) === strip(b)
}
