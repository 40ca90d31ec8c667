import { describe, expect, it } from 'vitest'
import { armFault, useHarness } from '../helpers/harness.js'

describe('POST /auth/login', () => {
  const harness = useHarness()

  it('exchanges a code for a token pair and a public user', async () => {
    const body = await harness().login({ openid: 'o-login-shape' })
    expect(body).toEqual({
      token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      expiresIn: 7200,
      refreshToken: expect.stringMatching(/^[\w-]{40,}$/),
      refreshExpiresIn: 30 * 24 * 3600,
      user: { id: expect.any(String), phoneBound: false, phoneMasked: null, createdAt: expect.any(String) },
    })
    expect(JSON.stringify(body)).not.toContain('o-login-shape')
  })

  it('binds the same openid to the same user across logins', async () => {
    const first = await harness().login({ openid: 'o-same' })
    const second = await harness().login({ openid: 'o-same' })
    expect(second.user.id).toBe(first.user.id)
    const other = await harness().login({ openid: 'o-other' })
    expect(other.user.id).not.toBe(first.user.id)
  })

  it('one openid is one user, also once it reports a unionid; another openid of this app is another user', async () => {
    const a = await harness().login({ openid: 'o-app-a' })
    expect((await harness().login({ openid: 'o-app-a', unionid: 'u-shared' })).user.id).toBe(a.user.id)
    // One person has one openid per app: a second one with the same unionid is never merged in.
    expect((await harness().login({ openid: 'o-app-b', unionid: 'u-shared' })).user.id).not.toBe(a.user.id)
  })

  it('refuses a code used twice without calling WeChat again', async () => {
    const { code } = harness().mock.state.mintLoginCode({})
    const first = await harness().inject({ method: 'POST', url: '/auth/login', payload: { code } })
    expect(first.statusCode).toBe(200)
    const callsBefore = (await harness().stats()).jscode2session
    const second = await harness().inject({ method: 'POST', url: '/auth/login', payload: { code } })
    expect(second.statusCode).toBe(400)
    expect(second.json()).toEqual({ code: 'WX_CODE_USED', message: expect.any(String) })
    expect((await harness().stats()).jscode2session).toBe(callsBefore)
  })

  it('accepts mock-<name> codes, mapping one name to one user', async () => {
    const a = await harness().inject({ method: 'POST', url: '/auth/login', payload: { code: 'mock-bob.1' } })
    const b = await harness().inject({ method: 'POST', url: '/auth/login', payload: { code: 'mock-bob.2' } })
    expect(a.statusCode).toBe(200)
    expect(b.json().user.id).toBe(a.json().user.id)
  })

  it('maps an unknown code to WX_CODE_INVALID', async () => {
    const response = await harness().inject({ method: 'POST', url: '/auth/login', payload: { code: 'never-minted' } })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('WX_CODE_INVALID')
  })
})

describe('POST /auth/login when WeChat fails', () => {
  const harness = useHarness()

  const cases = [
    { fault: { errcode: 40029 }, status: 400, code: 'WX_CODE_INVALID' },
    { fault: { errcode: 40163 }, status: 400, code: 'WX_CODE_USED' },
    { fault: { errcode: 45011 }, status: 429, code: 'WX_RATE_LIMITED' },
    { fault: { errcode: 40226 }, status: 403, code: 'WX_USER_BLOCKED' },
    { fault: { errcode: -1 }, status: 503, code: 'WX_BUSY' },
    { fault: { errcode: 99999 }, status: 502, code: 'WX_ERROR' },
    { fault: { status: 500 }, status: 502, code: 'WX_UNAVAILABLE', message: /answered HTTP 500/ },
    { fault: { status: 503 }, status: 502, code: 'WX_UNAVAILABLE' },
    { fault: { hang: true }, status: 502, code: 'WX_UNAVAILABLE', message: /timed out/ },
  ] as const

  it.each(cases)('$fault → $status $code', async ({ fault, status, code, ...expected }) => {
    await armFault(harness(), { endpoint: 'jscode2session', ...fault })
    const { code: loginCode } = harness().mock.state.mintLoginCode({})
    const started = Date.now()
    const response = await harness().inject({ method: 'POST', url: '/auth/login', payload: { code: loginCode } })
    expect(response.statusCode).toBe(status)
    expect(response.json()).toEqual({ code, message: 'message' in expected ? expect.stringMatching(expected.message) : expect.any(String) })
    // WX_TIMEOUT_MS is 400 in the harness: a hanging WeChat must not hang us.
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('maps an unreachable WeChat to WX_UNAVAILABLE', async () => {
    const { startHarness } = await import('../helpers/harness.js')
    const offline = await startHarness({ env: { WX_API_BASE: 'http://127.0.0.1:9' } })
    try {
      const response = await offline.inject({ method: 'POST', url: '/auth/login', payload: { code: 'mock-x' } })
      expect(response.statusCode).toBe(502)
      expect(response.json()).toEqual({ code: 'WX_UNAVAILABLE', message: 'WeChat code2Session is unreachable' })
    } finally {
      await offline.close()
    }
  })

  it('rejects a code older than 5 minutes (mock clock)', async () => {
    let now = Date.now()
    const { startHarness } = await import('../helpers/harness.js')
    const timed = await startHarness({ mock: { now: () => now } })
    try {
      const { code } = timed.mock.state.mintLoginCode({})
      now += 5 * 60_000 + 1
      const response = await timed.inject({ method: 'POST', url: '/auth/login', payload: { code } })
      expect(response.statusCode).toBe(400)
      expect(response.json().code).toBe('WX_CODE_INVALID')
    } finally {
      await timed.close()
    }
  })
})
