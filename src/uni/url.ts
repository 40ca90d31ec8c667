// These run on every intercepted request: plain string arithmetic instead of URL objects (which
// mini-programs lack) or regex replaces.
const ORIGIN = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i

/** `https://api.example.com` of an absolute URL, or `undefined` for a relative one. */
export function originOf(url: string): string | undefined {
  return ORIGIN.exec(url)?.[0]
}

/** Joins a relative URL onto `base` (no trailing slash); absolute URLs pass through untouched. */
export function resolveUrl(base: string | undefined, url: string): string {
  if (!base || ORIGIN.test(url)) return url
  return `${base}/${url.replace(/^\/+/, '')}`
}

/**
 * Whether `url` lies under `scope` (a base URL without trailing slash), so the token never goes to
 * another host. Relative URLs stay on the app's own origin (H5) and are always in scope.
 */
export function inScope(scope: string | undefined, url: string): boolean {
  if (!scope || !ORIGIN.test(url)) return true
  const next = url.charAt(scope.length)
  return url.startsWith(scope) && (next === '' || next === '/' || next === '?' || next === '#')
}

/** The path without query, hash and slashes at either end: `/pages/a/?x=1` → `pages/a`. */
export function pathKey(url: string): string {
  return (url.split(/[?#]/, 1)[0] as string).replace(/^\/+|\/+$/g, '')
}
