import { decodeJwt, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthStore } from '../../src/store/types.js'
import { expectNoSecretsLeaked, type Harness, startHarness, TEST_JWT_SECRET } from '../helpers/harness.js'
import { STORE_KINDS } from '../helpers/stores.js'

const HOUR = 3600_000
const DAY = 24 * HOUR

function refresh(harness: Harness, refreshToken: string) {
  return harness.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } })
}

function logout(harness: Harness, options: { token?: string; refreshToken?: string } = {}) {
  return harness.inject({
    method: 'POST',
    url: '/auth/logout',
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    ...(options.refreshToken ? { payload: { refreshToken: options.refreshToken } } : {}),
  })
}

function logoutAll(harness: Harness, token?: string) {
  return harness.inject({ method: 'POST', url: '/auth/logout-all', headers: token ? { authorization: `Bearer ${token}` } : {} })
}

// Every path runs on both store kinds: revocation is store work, and both must honour it.
describe.each(STORE_KINDS.filter((kind) => kind.name !== 'sqlite file'))('logout on $name', (kind) => {
  let now = Date.now()
  let store: AuthStore
  let harness: Harness
  beforeAll(async () => {
    store = await kind.open({ now: () => now })
    harness = await startHarness({ now: () => now, store })
  })
  afterAll(async () => {
    expectNoSecretsLeaked(harness)
    await harness.close()
    await store.close()
  })

  it('tokens name their login: the fid claim is the refresh family and survives rotation', async () => {
    const login = await harness.login()
    const rotated = (await refresh(harness, login.refreshToken)).json()
    const fid = decodeJwt(login.token).fid
    expect(fid).toEqual(expect.any(String))
    expect(decodeJwt(rotated.token).fid).toBe(fid)
    expect(decodeJwt((await harness.login()).token).fid).not.toBe(fid)
  })

  it('Bearer-only logout revokes that login and no other login of the user', async () => {
    const phone = await harness.login({ openid: 'o-two-devices' })
    const tablet = await harness.login({ openid: 'o-two-devices' })
    const response = await logout(harness, { token: phone.token })
    expect(response.statusCode).toBe(204)
    expect(response.body).toBe('')
    expect((await refresh(harness, phone.refreshToken)).json().code).toBe('AUTH_REFRESH_INVALID')
    expect((await refresh(harness, tablet.refreshToken)).statusCode).toBe(200)
  })

  it('Bearer-only logout also revokes the tokens rotated from that login since', async () => {
    const login = await harness.login()
    const rotated = (await refresh(harness, login.refreshToken)).json()
    // The old access token still names the family of the current refresh token.
    expect((await logout(harness, { token: login.token })).statusCode).toBe(204)
    expect((await refresh(harness, rotated.refreshToken)).statusCode).toBe(401)
  })

  it('Bearer-only logout works after the access token expired', async () => {
    const login = await harness.login()
    now += 3 * HOUR
    const me = await harness.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${login.token}` } })
    expect(me.json().code).toBe('AUTH_TOKEN_EXPIRED')
    expect((await logout(harness, { token: login.token })).statusCode).toBe(204)
    expect((await refresh(harness, login.refreshToken)).statusCode).toBe(401)
  })

  it('refuses an access token older than the refresh lifetime: its family has expired by itself', async () => {
    const login = await harness.login()
    now += 31 * DAY
    const response = await logout(harness, { token: login.token })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({ code: 'AUTH_TOKEN_EXPIRED', message: expect.any(String) })
  })

  it('the expiry grace does not relax signature, issuer or audience', async () => {
    const login = await harness.login()
    const claims = decodeJwt(login.token)
    const key = new TextEncoder().encode(TEST_JWT_SECRET)
    const sign = (overrides: { aud?: string; iss?: string }, secret = key) =>
      new SignJWT({ fid: claims.fid })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(String(claims.sub))
        .setIssuer(overrides.iss ?? 'uni-mp-auth')
        .setAudience(overrides.aud ?? 'uni-mp-auth-client')
        .setIssuedAt(Math.floor(now / 1000) - 7300)
        .setExpirationTime(Math.floor(now / 1000) - 100)
        .sign(secret)
    const forged = [
      await sign({ aud: 'someone-else' }),
      await sign({ iss: 'evil' }),
      await sign({}, new TextEncoder().encode('another-secret-another-secret-1234')),
    ]
    for (const token of forged) {
      expect((await logout(harness, { token })).json().code).toBe('AUTH_TOKEN_INVALID')
      expect((await logoutAll(harness, token)).json().code).toBe('AUTH_TOKEN_INVALID')
    }
    expect((await refresh(harness, login.refreshToken)).statusCode).toBe(200)
    // The same expired claims, correctly signed, are accepted: the refusals above are about the forgery.
    expect((await logout(harness, { token: await sign({}) })).statusCode).toBe(204)
  })

  it('a refresh token in the body revokes its family, whatever the Authorization header says', async () => {
    const login = await harness.login()
    const response = await logout(harness, { token: 'expired.or.garbage', refreshToken: login.refreshToken })
    expect(response.statusCode).toBe(204)
    expect((await refresh(harness, login.refreshToken)).statusCode).toBe(401)
  })

  it('an unknown refresh token changes nothing and reveals nothing', async () => {
    const login = await harness.login()
    expect((await logout(harness, { refreshToken: 'not-a-real-token' })).statusCode).toBe(204)
    expect((await refresh(harness, login.refreshToken)).statusCode).toBe(200)
  })

  it('without a refresh token and without a Bearer token it is a 401', async () => {
    const response = await logout(harness)
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('AUTH_TOKEN_MISSING')
  })

  it('logout-all revokes every login of the user, and only of that user', async () => {
    const phone = await harness.login({ openid: 'o-everywhere' })
    const tablet = await harness.login({ openid: 'o-everywhere' })
    const tabletRotated = (await refresh(harness, tablet.refreshToken)).json()
    const someoneElse = await harness.login({ openid: 'o-bystander' })
    expect((await logoutAll(harness, phone.token)).statusCode).toBe(204)
    expect((await refresh(harness, phone.refreshToken)).statusCode).toBe(401)
    expect((await refresh(harness, tabletRotated.refreshToken)).statusCode).toBe(401)
    expect((await refresh(harness, someoneElse.refreshToken)).statusCode).toBe(200)
    // Logging in again afterwards works.
    const again = await harness.login({ openid: 'o-everywhere' })
    expect((await refresh(harness, again.refreshToken)).statusCode).toBe(200)
  })

  it('logout-all works after the access token expired, and needs a token', async () => {
    const login = await harness.login({ openid: 'o-everywhere-late' })
    const other = await harness.login({ openid: 'o-everywhere-late' })
    now += 5 * HOUR
    expect((await logoutAll(harness, login.token)).statusCode).toBe(204)
    expect((await refresh(harness, other.refreshToken)).statusCode).toBe(401)
    expect((await logoutAll(harness)).json().code).toBe('AUTH_TOKEN_MISSING')
  })
})
