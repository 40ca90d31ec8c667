import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { AccessTokens, type AccessTokensOptions } from '../../src/tokens/access-tokens.js'

// jose's own jwtVerify, counted: a remembered token must not have its signature checked again.
vi.mock('jose', async (importOriginal) => {
  const jose = await importOriginal<typeof import('jose')>()
  return { ...jose, jwtVerify: vi.fn(jose.jwtVerify) }
})
const signatureChecks = vi.mocked(jwtVerify)

const SECRET = 'unit-test-jwt-secret-that-is-long-enough-0123'
const key = new TextEncoder().encode(SECRET)
const ISSUER = 'issuer-under-test'
const AUDIENCE = 'audience-under-test'
const START = 1_800_000_000_000

let now = START
const tokens = (options: Partial<AccessTokensOptions> = {}) =>
  new AccessTokens({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 600, now: () => now, ...options })

/** A token signed with the right key, claims as given (each may be left out). */
function signed(claims: { sub?: string; fid?: unknown; iat?: number; exp?: number; ep?: number }): Promise<string> {
  const payload: Record<string, unknown> = { iss: ISSUER, aud: AUDIENCE, ...claims }
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(key)
}
const seconds = () => Math.floor(now / 1000)

beforeEach(() => {
  now = START
  signatureChecks.mockClear()
})

describe('AccessTokens.issue', () => {
  it('signs an HS256 JWT whose claims name the user, the login family, issuer, audience and lifetime', async () => {
    now = START + 999 // iat is whole seconds, rounded down
    const issued = await tokens().issue('user-1', 'family-1')
    expect(issued.expiresIn).toBe(600)
    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(decodeJwt(issued.token)).toEqual({
      sub: 'user-1',
      fid: 'family-1',
      iss: ISSUER,
      aud: AUDIENCE,
      iat: START / 1000,
      exp: START / 1000 + 600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    })
  })

  it('gives every token its own jti', async () => {
    const issuer = tokens()
    const [a, b] = await Promise.all([issuer.issue('u', 'f'), issuer.issue('u', 'f')])
    expect(decodeJwt(a.token).jti).not.toBe(decodeJwt(b.token).jti)
  })

  it('adds the dev generation claim only when revocable for dev', async () => {
    const dev = tokens({ revocableForDev: true })
    expect(decodeJwt((await dev.issue('u', 'f')).token).ep).toBe(0)
    dev.expireAllIssued()
    expect(decodeJwt((await dev.issue('u', 'f')).token).ep).toBe(1)
    expect(decodeJwt((await tokens().issue('u', 'f')).token)).not.toHaveProperty('ep')
  })
})

describe('AccessTokens.verify', () => {
  it('resolves the user and the login family of a valid token', async () => {
    const issuer = tokens()
    const { token } = await issuer.issue('user-1', 'family-1')
    await expect(issuer.verify(token)).resolves.toEqual({ userId: 'user-1', familyId: 'family-1' })
  })

  it('refuses a token without exp or without iat, even with a valid signature', async () => {
    const noExp = await signed({ sub: 'u', fid: 'f', iat: seconds() })
    const noIat = await signed({ sub: 'u', fid: 'f', exp: seconds() + 60 })
    for (const token of [noExp, noIat]) {
      await expect(tokens().verify(token)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID', message: 'Access token invalid' })
    }
  })

  it('refuses a token whose sub or fid is empty or not a string', async () => {
    const times = { iat: seconds(), exp: seconds() + 60 }
    const bad = [
      await signed({ sub: '', fid: 'f', ...times }),
      await signed({ sub: 'u', fid: '', ...times }),
      await signed({ sub: 'u', fid: 7, ...times }),
      await signed({ sub: 'u', fid: ['f'], ...times }),
    ]
    for (const token of bad) {
      await expect(tokens().verify(token)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID', message: 'Access token invalid' })
    }
  })

  it('refuses an expired token with AUTH_TOKEN_EXPIRED, and a forged one with AUTH_TOKEN_INVALID', async () => {
    const issuer = tokens()
    const { token } = await issuer.issue('u', 'f')
    now += 600_000
    await expect(issuer.verify(token)).rejects.toMatchObject({ code: 'AUTH_TOKEN_EXPIRED', message: 'Access token expired' })
    const other = new AccessTokens({ secret: `${SECRET}-other`, issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 600, now: () => now })
    await expect(issuer.verify((await other.issue('u', 'f')).token)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' })
  })

  it('accepts an expired token within the grace, and not after it', async () => {
    const issuer = tokens()
    const { token } = await issuer.issue('u', 'f')
    now += 600_000 + 99_000
    await expect(issuer.verify(token, { expiredGraceSeconds: 100 })).resolves.toEqual({ userId: 'u', familyId: 'f' })
    now += 1000
    await expect(issuer.verify(token, { expiredGraceSeconds: 100 })).rejects.toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' })
  })
})

describe('AccessTokens dev revocation (expireAllIssued)', () => {
  it('expires every token issued before the call, with the dev message', async () => {
    const dev = tokens({ revocableForDev: true })
    const { token } = await dev.issue('u', 'f')
    await expect(dev.verify(token)).resolves.toEqual({ userId: 'u', familyId: 'f' })
    dev.expireAllIssued()
    await expect(dev.verify(token)).rejects.toMatchObject({ code: 'AUTH_TOKEN_EXPIRED', message: 'Access token expired' })
    // Revocation routes still accept it: they only need to know the login.
    await expect(dev.verify(token, { expiredGraceSeconds: 60 })).resolves.toEqual({ userId: 'u', familyId: 'f' })
  })

  it('counts a token without a generation claim as expired', async () => {
    const { token } = await tokens().issue('u', 'f')
    await expect(tokens({ revocableForDev: true }).verify(token)).rejects.toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' })
  })
})

describe('AccessTokens remembers verified tokens (verifiedCacheSize)', () => {
  it('checks the signature of a token once, then answers from memory until it expires', async () => {
    const issuer = tokens()
    const { token } = await issuer.issue('u', 'f')
    await issuer.verify(token)
    now += 599_000
    await expect(issuer.verify(token)).resolves.toEqual({ userId: 'u', familyId: 'f' })
    expect(signatureChecks).toHaveBeenCalledTimes(1)
    now += 1000
    await expect(issuer.verify(token)).rejects.toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' })
  })

  it('answers an expired token from memory within the grace too', async () => {
    const issuer = tokens()
    const { token } = await issuer.issue('u', 'f')
    now += 650_000
    await issuer.verify(token, { expiredGraceSeconds: 100 })
    await expect(issuer.verify(token, { expiredGraceSeconds: 100 })).resolves.toEqual({ userId: 'u', familyId: 'f' })
    expect(signatureChecks).toHaveBeenCalledTimes(1)
  })

  it('with verifiedCacheSize 0 checks every signature', async () => {
    const issuer = tokens({ verifiedCacheSize: 0 })
    const { token } = await issuer.issue('u', 'f')
    await expect(issuer.verify(token)).resolves.toEqual({ userId: 'u', familyId: 'f' })
    await expect(issuer.verify(token)).resolves.toEqual({ userId: 'u', familyId: 'f' })
    expect(signatureChecks).toHaveBeenCalledTimes(2)
  })

  it('remembers only tokens that verified', async () => {
    const issuer = tokens()
    const forged = await new SignJWT({ sub: 'u', fid: 'f', iss: ISSUER, aud: AUDIENCE, iat: seconds(), exp: seconds() + 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(`${SECRET}-other`))
    for (let i = 0; i < 2; i++) await expect(issuer.verify(forged)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' })
    expect(signatureChecks).toHaveBeenCalledTimes(2)
  })
})
