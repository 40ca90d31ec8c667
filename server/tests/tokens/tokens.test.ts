import { SignJWT, UnsecuredJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { startHarness, TEST_JWT_SECRET, useHarness } from '../helpers/harness.js'

const key = new TextEncoder().encode(TEST_JWT_SECRET)

function claims(overrides: { iss?: string; aud?: string; exp?: number; sub?: string } = {}) {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ ep: 0, fid: 'family-1' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(overrides.sub ?? 'user-1')
    .setIssuer(overrides.iss ?? 'uni-mp-auth')
    .setAudience(overrides.aud ?? 'uni-mp-auth-client')
    .setIssuedAt(now - 10)
    .setExpirationTime(overrides.exp ?? now + 600)
}

describe('access token verification', () => {
  const harness = useHarness()

  async function me(token: string | undefined) {
    return harness().inject({
      method: 'GET',
      url: '/me',
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    })
  }

  it('accepts a token it issued', async () => {
    const login = await harness().login()
    const response = await me(login.token)
    expect(response.statusCode).toBe(200)
    expect(response.json().user.id).toBe(login.user.id)
  })

  it('rejects a missing Authorization header with AUTH_TOKEN_MISSING', async () => {
    const response = await me(undefined)
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({ code: 'AUTH_TOKEN_MISSING', message: expect.any(String) })
  })

  it('rejects a non-Bearer header', async () => {
    const response = await harness().inject({ method: 'GET', url: '/me', headers: { authorization: 'Basic abc' } })
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('AUTH_TOKEN_INVALID')
  })

  it('rejects a forged signature', async () => {
    const login = await harness().login()
    const [header, payload] = login.token.split('.')
    const forged = await claims().sign(new TextEncoder().encode('another-secret-another-secret-1234'))
    const spliced = `${header}.${payload}.${forged.split('.')[2]}`
    for (const token of [forged, spliced]) {
      const response = await me(token)
      expect(response.statusCode).toBe(401)
      expect(response.json().code).toBe('AUTH_TOKEN_INVALID')
    }
  })

  it('rejects an expired token with AUTH_TOKEN_EXPIRED', async () => {
    const login = await harness().login()
    const expired = await claims({ sub: login.user.id, exp: Math.floor(Date.now() / 1000) - 5 }).sign(key)
    const response = await me(expired)
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('AUTH_TOKEN_EXPIRED')
  })

  it('a token accepted before (and remembered) is still refused once it expires', async () => {
    let now = Date.now()
    const local = await startHarness({ now: () => now, env: { TOKEN_TTL_SECONDS: '60' } })
    try {
      const login = await local.login()
      const me = () => local.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${login.token}` } })
      expect((await me()).statusCode).toBe(200)
      now += 59_000
      expect((await me()).statusCode).toBe(200)
      now += 1_000
      const response = await me()
      expect(response.statusCode).toBe(401)
      expect(response.json().code).toBe('AUTH_TOKEN_EXPIRED')
    } finally {
      await local.close()
    }
  })

  it('rejects alg "none"', async () => {
    const login = await harness().login()
    const unsecured = new UnsecuredJWT({ ep: 0, fid: 'family-1' })
      .setSubject(login.user.id)
      .setIssuer('uni-mp-auth')
      .setAudience('uni-mp-auth-client')
      .setIssuedAt()
      .setExpirationTime('10m')
      .encode()
    const response = await me(unsecured)
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('AUTH_TOKEN_INVALID')
  })

  it('rejects an HS512 token signed with the right secret (algorithm is pinned)', async () => {
    const login = await harness().login()
    const now = Math.floor(Date.now() / 1000)
    const hs512 = await new SignJWT({ ep: 0, fid: 'family-1' })
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject(login.user.id)
      .setIssuer('uni-mp-auth')
      .setAudience('uni-mp-auth-client')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(key)
    expect((await me(hs512)).statusCode).toBe(401)
  })

  it('rejects a wrong audience and a wrong issuer', async () => {
    const login = await harness().login()
    for (const token of [
      await claims({ sub: login.user.id, aud: 'someone-else' }).sign(key),
      await claims({ sub: login.user.id, iss: 'evil-issuer' }).sign(key),
    ]) {
      const response = await me(token)
      expect(response.statusCode).toBe(401)
      expect(response.json().code).toBe('AUTH_TOKEN_INVALID')
    }
    // The same claims with the right iss/aud pass, so the rejections above are about iss/aud only.
    expect((await me(await claims({ sub: login.user.id }).sign(key))).statusCode).toBe(200)
  })

  it('rejects garbage', async () => {
    for (const token of ['abc', 'a.b.c', '']) {
      const response = await me(token)
      expect(response.statusCode).toBe(401)
    }
  })
})

describe('POST /dev/expire-tokens', () => {
  const harness = useHarness()

  it('expires every token issued before it, while tokens issued after it work', async () => {
    const before = await harness().login()
    const expire = await harness().inject({ method: 'POST', url: '/dev/expire-tokens' })
    expect(expire.statusCode).toBe(204)
    const old = await harness().inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${before.token}` } })
    expect(old.statusCode).toBe(401)
    expect(old.json().code).toBe('AUTH_TOKEN_EXPIRED')
    // Issued within the same second as the expiry call: must still be valid.
    const after = await harness().login()
    const fresh = await harness().inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${after.token}` } })
    expect(fresh.statusCode).toBe(200)
  })

  it('is not registered without AUTH_DEV_ENDPOINTS=1', async () => {
    const plain = await startHarness({ env: { AUTH_DEV_ENDPOINTS: '0' } })
    try {
      const response = await plain.inject({ method: 'POST', url: '/dev/expire-tokens' })
      expect(response.statusCode).toBe(404)
      expect(response.json().code).toBe('NOT_FOUND')
    } finally {
      await plain.close()
    }
  })
})
