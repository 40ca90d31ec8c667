/**
 * A small in-memory stand-in for the reference backend, answering inside the fake `wx.request` /
 * `wx.uploadFile`. It plays WeChat's part too: `wx.login` codes are minted here, one use each.
 */
export interface BackendRequest {
  method: string
  /** The full URL the app asked for. */
  url: string
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
  refreshToken: string
  userId: string
  /** Epoch ms. */
  expiresAt: number
}

/** Knobs a scenario may change at any time. */
export interface BackendSettings {
  /** Seconds a token lives. @default 3600 */
  tokenLifetimeS: number
  /** Whether `POST /auth/refresh` accepts refresh tokens. @default true */
  refreshAllowed: boolean
  /** When set, `POST /auth/login` answers this HTTP status instead of a token. @default null */
  loginStatus: number | null
}

export interface FakeBackend {
  readonly baseUrl: string
  readonly settings: BackendSettings
  /** Every token ever issued, oldest first. */
  readonly issued: readonly IssuedToken[]
  /** Called by the fake `wx.login`: a fresh one-time code for this WeChat identity. */
  mintCode(openid: string): string
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
}

export interface FakeBackendOptions {
  /** @default 'http://127.0.0.1:3000' */
  baseUrl?: string
  settings?: Partial<BackendSettings>
}

export function createFakeBackend({ baseUrl = 'http://127.0.0.1:3000', settings = {} }: FakeBackendOptions = {}): FakeBackend {
  const root = baseUrl.replace(/\/+$/, '')
  const config: BackendSettings = { tokenLifetimeS: 3600, refreshAllowed: true, loginStatus: null, ...settings }
  const codes = new Map<string, { openid: string; used: boolean }>()
  const users = new Map<string, string>()
  const issued: IssuedToken[] = []
  const live = new Map<string, IssuedToken>()
  const refreshTokens = new Map<string, IssuedToken>()
  let serial = 0

  const json = (statusCode: number, data: unknown): BackendResponse => ({
    statusCode,
    data,
    header: { 'Content-Type': 'application/json' },
  })

  function issue(userId: string): BackendResponse {
    serial += 1
    const grant: IssuedToken = {
      token: `tk${serial}-${Math.random().toString(36).slice(2, 10)}`,
      refreshToken: `rt${serial}-${Math.random().toString(36).slice(2, 10)}`,
      userId,
      expiresAt: Date.now() + config.tokenLifetimeS * 1000,
    }
    issued.push(grant)
    live.set(grant.token, grant)
    refreshTokens.set(grant.refreshToken, grant)
    return json(200, {
      token: grant.token,
      expiresIn: config.tokenLifetimeS,
      refreshToken: grant.refreshToken,
      user: { id: userId },
    })
  }

  function authenticated(header: Readonly<Record<string, string>>): IssuedToken | null {
    const value = headerValue(header, 'authorization')
    const match = /^Bearer (.+)$/.exec(value ?? '')
    const grant = match ? live.get(match[1]!) : undefined
    return grant && grant.expiresAt > Date.now() ? grant : null
  }

  const routes: Record<string, (request: BackendRequest) => BackendResponse> = {
    'POST /auth/login': ({ data }) => {
      if (config.loginStatus !== null) return json(config.loginStatus, { error: 'LOGIN_REFUSED' })
      const code = field(data, 'code')
      const entry = code ? codes.get(code) : undefined
      if (!entry) return json(400, { error: 'INVALID_CODE', errcode: 40029 })
      if (entry.used) return json(400, { error: 'CODE_USED', errcode: 40163 })
      entry.used = true
      let userId = users.get(entry.openid)
      if (!userId) {
        userId = `u${users.size + 1}`
        users.set(entry.openid, userId)
      }
      return issue(userId)
    },
    'POST /auth/refresh': ({ data }) => {
      const presented = field(data, 'refreshToken')
      const grant = presented ? refreshTokens.get(presented) : undefined
      if (!config.refreshAllowed || !grant) return json(401, { error: 'INVALID_REFRESH_TOKEN' })
      refreshTokens.delete(presented!)
      return issue(grant.userId)
    },
    'POST /auth/logout': ({ header, data }) => {
      const grant = authenticated(header)
      if (grant) live.delete(grant.token)
      const presented = field(data, 'refreshToken')
      if (presented) refreshTokens.delete(presented)
      return json(204, '')
    },
    'GET /me': ({ header }) => {
      const grant = authenticated(header)
      return grant ? json(200, { user: { id: grant.userId } }) : json(401, { error: 'UNAUTHENTICATED' })
    },
    'POST /me/avatar': ({ header }) => {
      const grant = authenticated(header)
      // Like wx.uploadFile, the body arrives as a string.
      return grant
        ? json(200, JSON.stringify({ url: `${root}/avatars/${grant.userId}.png` }))
        : json(401, JSON.stringify({ error: 'UNAUTHENTICATED' }))
    },
  }

  return {
    baseUrl: root,
    settings: config,
    issued,
    mintCode(openid) {
      const code = `code-${codes.size + 1}`
      codes.set(code, { openid, used: false })
      return code
    },
    owns: (url) => url === root || url.startsWith(`${root}/`),
    handle(request) {
      const path = request.url.slice(root.length).split(/[?#]/, 1)[0] || '/'
      const route = routes[`${request.method.toUpperCase()} ${path}`]
      return route ? route(request) : json(404, { error: 'NOT_FOUND' })
    },
    revoke: (token) => void live.delete(token),
    revokeAll: () => live.clear(),
    isValid: (token) => {
      const grant = live.get(token)
      return !!grant && grant.expiresAt > Date.now()
    },
    latestToken: () => issued.at(-1)?.token ?? null,
  }
}

function headerValue(header: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = Object.keys(header).find((k) => k.toLowerCase() === name)
  return key === undefined ? undefined : header[key]
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
