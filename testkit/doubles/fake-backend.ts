/**
 * A small in-memory stand-in for the reference backend, answering inside the fake `wx.request` /
 * `wx.uploadFile` / `wx.downloadFile`. It plays WeChat's part too: `wx.login` codes are minted here,
 * one use each. Errors use the reference body `{ code, message }`.
 */
export interface BackendRequest {
  method: string
  /** The full URL the app asked for. */
  url: string
  /** The request's own header object, as the app passed it (read it, do not keep it). */
  header: Readonly<Record<string, string>>
  data: unknown
}

export interface BackendResponse {
  statusCode: number
  data: unknown
  header: Record<string, string>
}

export interface IssuedToken {
  token: string
  /** `null` when `settings.refreshTokens` is off. */
  refreshToken: string | null
  userId: string
  /** Epoch ms. */
  expiresAt: number
}

/** Knobs a scenario may change at any time. */
export interface BackendSettings {
  /** Seconds a token lives. @default 3600 */
  tokenLifetimeS: number
  /** Whether grants carry a refresh token (without one, a client can only log in again). @default true */
  refreshTokens: boolean
  /** Whether `POST /auth/refresh` accepts refresh tokens. @default true */
  refreshAllowed: boolean
  /** When set, `POST /auth/login` answers this HTTP status instead of a token. @default null */
  loginStatus: number | null
}

/** What the backend has seen since it was created (or since `resetCounts()`). */
export interface BackendCounts {
  /** `POST /auth/login`, whatever the answer. */
  logins: number
  refreshes: number
  logouts: number
  phoneBinds: number
  /** Requests to the app's own API: `/me`, `/me/avatar` and any other path. */
  requests: number
  /** Of those, the ones without an `Authorization` header. */
  withoutToken: number
  /** Of those, the ones answered 401. */
  unauthorized: number
}

export interface FakeBackend {
  readonly baseUrl: string
  readonly settings: BackendSettings
  readonly counts: BackendCounts
  /** Every token ever issued, oldest first. */
  readonly issued: readonly IssuedToken[]
  /** Called by the fake `wx.login`: a fresh one-time code for this WeChat identity. */
  mintCode(openid: string): string
  /** A token for this WeChat identity's user, as if it had logged in during an earlier app run. */
  issueToken(openid?: string): IssuedToken
  /** True when the URL belongs to this backend. */
  owns(url: string): boolean
  handle(request: BackendRequest): BackendResponse
  /** From now on the token gets 401 (as if it expired or was revoked). */
  revoke(token: string): void
  /** Revokes every token issued so far. */
  revokeAll(): void
  isValid(token: string): boolean
  /** The most recently issued token, or `null`. */
  latestToken(): string | null
  resetCounts(): void
}

export interface FakeBackendOptions {
  /** @default 'http://127.0.0.1:3000' */
  baseUrl?: string
  settings?: Partial<BackendSettings>
}

interface User {
  id: string
  phone: string | null
}

const json = (statusCode: number, data: unknown): BackendResponse => ({
  statusCode,
  data,
  header: { 'Content-Type': 'application/json' },
})
const failure = (statusCode: number, code: string, message: string) => json(statusCode, { code, message })

/**
 * Routes: `POST /auth/login {code}` → `{ token, expiresIn, refreshToken, user }`; `POST /auth/refresh
 * {refreshToken}` (rotating); `POST /auth/logout`; `GET /me` → `{ user }`; `POST /me/avatar` (upload);
 * `POST /auth/phone {code}` → `{ user }` with the phone bound. Any other path stands for the app's own
 * protected API: 200 `{ path, token }` with a valid token, 401 otherwise.
 */
export function createFakeBackend({ baseUrl = 'http://127.0.0.1:3000', settings = {} }: FakeBackendOptions = {}): FakeBackend {
  const root = baseUrl.replace(/\/+$/, '')
  const config: BackendSettings = { tokenLifetimeS: 3600, refreshTokens: true, refreshAllowed: true, loginStatus: null, ...settings }
  const counts: BackendCounts = { logins: 0, refreshes: 0, logouts: 0, phoneBinds: 0, requests: 0, withoutToken: 0, unauthorized: 0 }
  const codes = new Map<string, { openid: string; used: boolean }>()
  const usersByOpenid = new Map<string, User>()
  const usersById = new Map<string, User>()
  const issued: IssuedToken[] = []
  const live = new Map<string, IssuedToken>()
  const revoked = new Set<string>()
  const refreshTokens = new Map<string, IssuedToken>()

  const publicUser = (user: User) => ({
    id: user.id,
    phoneBound: user.phone !== null,
    phoneMasked: user.phone === null ? null : `${user.phone.slice(0, 3)}****${user.phone.slice(-4)}`,
  })

  function userOf(openid: string): User {
    let user = usersByOpenid.get(openid)
    if (!user) {
      user = { id: `u${usersByOpenid.size + 1}`, phone: null }
      usersByOpenid.set(openid, user)
      usersById.set(user.id, user)
    }
    return user
  }

  function issue(user: User): IssuedToken {
    const serial = issued.length + 1
    const grant: IssuedToken = {
      token: `tok-${serial}`,
      refreshToken: config.refreshTokens ? `rt-${serial}` : null,
      userId: user.id,
      expiresAt: Date.now() + config.tokenLifetimeS * 1000,
    }
    issued.push(grant)
    live.set(grant.token, grant)
    if (grant.refreshToken) refreshTokens.set(grant.refreshToken, grant)
    return grant
  }

  const session = (grant: IssuedToken) =>
    json(200, {
      token: grant.token,
      expiresIn: config.tokenLifetimeS,
      ...(grant.refreshToken ? { refreshToken: grant.refreshToken } : {}),
      user: publicUser(usersById.get(grant.userId)!),
    })

  /** The grant behind a valid bearer token, or the 401 to answer. */
  function authenticate(header: Readonly<Record<string, string>>): IssuedToken | BackendResponse {
    const match = /^Bearer (.+)$/.exec(headerValue(header, 'authorization') ?? '')
    if (!match) return failure(401, 'AUTH_TOKEN_MISSING', 'Authorization: Bearer <token> is required')
    const grant = live.get(match[1]!)
    if (grant && grant.expiresAt > Date.now()) return grant
    return grant || revoked.has(match[1]!)
      ? failure(401, 'AUTH_TOKEN_EXPIRED', 'The token has expired')
      : failure(401, 'AUTH_TOKEN_INVALID', 'The token is not valid')
  }

  /** The app's own API: counted, and answered by `answer` once the token is accepted. */
  function protectedRoute(answer: (grant: IssuedToken, request: BackendRequest, path: string) => BackendResponse) {
    return (request: BackendRequest, path: string): BackendResponse => {
      counts.requests += 1
      if (headerValue(request.header, 'authorization') === undefined) counts.withoutToken += 1
      const grant = authenticate(request.header)
      if ('statusCode' in grant) {
        counts.unauthorized += 1
        return grant
      }
      return answer(grant, request, path)
    }
  }

  const routes: Record<string, (request: BackendRequest, path: string) => BackendResponse> = {
    'POST /auth/login': ({ data }) => {
      counts.logins += 1
      if (config.loginStatus !== null) return failure(config.loginStatus, 'WX_UNAVAILABLE', 'Login refused (settings.loginStatus)')
      const code = field(data, 'code')
      const entry = code ? codes.get(code) : undefined
      if (!entry) return failure(400, 'WX_CODE_INVALID', 'Unknown login code')
      if (entry.used) return failure(400, 'WX_CODE_USED', 'The login code has already been used; call wx.login again')
      entry.used = true
      return session(issue(userOf(entry.openid)))
    },
    'POST /auth/refresh': ({ data }) => {
      counts.refreshes += 1
      const presented = field(data, 'refreshToken')
      const grant = presented ? refreshTokens.get(presented) : undefined
      if (!config.refreshAllowed || !grant) return failure(401, 'AUTH_REFRESH_INVALID', 'Refresh token invalid, expired or revoked')
      refreshTokens.delete(presented!)
      return session(issue(usersById.get(grant.userId)!))
    },
    // Holding the refresh token is proof enough to revoke it; without one a valid token is needed.
    'POST /auth/logout': ({ header, data }) => {
      counts.logouts += 1
      const grant = authenticate(header)
      const presented = field(data, 'refreshToken')
      if (!presented && 'statusCode' in grant) return grant
      if (presented) refreshTokens.delete(presented)
      if (!('statusCode' in grant)) live.delete(grant.token)
      return json(204, '')
    },
    'POST /auth/phone': ({ header, data }) => {
      counts.phoneBinds += 1
      const grant = authenticate(header)
      if ('statusCode' in grant) return grant
      if (!field(data, 'code')) return failure(400, 'BAD_REQUEST', '`code` is required')
      const user = usersById.get(grant.userId)!
      user.phone = '13800138000'
      return json(200, { user: publicUser(user) })
    },
    'GET /me': protectedRoute((grant) => json(200, { user: publicUser(usersById.get(grant.userId)!) })),
    // Like wx.uploadFile, the body arrives as a string.
    'POST /me/avatar': protectedRoute((grant) => json(200, JSON.stringify({ url: `${root}/avatars/${grant.userId}.png` }))),
  }
  const otherPath = protectedRoute((grant, _request, path) => json(200, { path, token: grant.token }))

  return {
    baseUrl: root,
    settings: config,
    counts,
    issued,
    mintCode(openid) {
      const code = `code-${codes.size + 1}`
      codes.set(code, { openid, used: false })
      return code
    },
    issueToken: (openid = 'openid-1') => issue(userOf(openid)),
    owns: (url) => url === root || url.startsWith(`${root}/`) || url.startsWith(`${root}?`),
    handle(request) {
      const path = request.url.slice(root.length).split(/[?#]/, 1)[0] || '/'
      const route = routes[`${request.method.toUpperCase()} ${path}`] ?? otherPath
      return route(request, path)
    },
    revoke(token) {
      if (live.delete(token)) revoked.add(token)
    },
    revokeAll() {
      for (const token of live.keys()) revoked.add(token)
      live.clear()
    },
    isValid: (token) => {
      const grant = live.get(token)
      return !!grant && grant.expiresAt > Date.now()
    },
    latestToken: () => issued.at(-1)?.token ?? null,
    resetCounts() {
      for (const key of Object.keys(counts) as (keyof BackendCounts)[]) counts[key] = 0
    },
  }
}

function headerValue(header: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const key in header) if (key.toLowerCase() === name) return header[key]
  return undefined
}

function field(data: unknown, name: string): string | undefined {
  const body = typeof data === 'string' ? safeParse(data) : data
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined
  return typeof value === 'string' && value !== '' ? value : undefined
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
