import { createSecretKey } from 'node:crypto'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, listenOnLoopback, startHarness, TEST_JWT_SECRET } from '../helpers/harness.js'
import { parseAnswer, rawExchange } from '../helpers/raw-http.js'

// Edges the contract (docs/openapi.json, the server README) promises and a fuzzer found broken.
describe('contract edges', () => {
  let harness: Harness
  let port: number
  beforeAll(async () => {
    harness = await startHarness()
    port = await listenOnLoopback(harness)
  })
  afterAll(() => harness.close())

  it('an Expect header Node does not understand is a 417 in the { code, message } shape', async () => {
    const head = 'POST /auth/login HTTP/1.1\r\nHost: x\r\nExpect: nonsense\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'
    const answer = parseAnswer((await rawExchange(port, { head })).received)
    expect(answer.status).toBe(417)
    expect(answer.body).toEqual({ code: 'EXPECTATION_FAILED', message: expect.any(String) })
  })

  it('a text/plain body to login is a 415, as for any body that is not JSON', async () => {
    const response = await harness.inject({
      method: 'POST',
      url: '/auth/login',
      payload: 'code=abc',
      headers: { 'content-type': 'text/plain' },
    })
    expect(response.statusCode).toBe(415)
    expect(response.json()).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String) })
  })

  it('logout with no body at all and no content type: 204 with a Bearer token', async () => {
    const { token } = await harness.login()
    const response = await harness.inject({ method: 'POST', url: '/auth/logout', headers: { authorization: `Bearer ${token}` } })
    expect(response.statusCode).toBe(204)
  })

  it('a validly signed token whose nbf lies in the future is refused everywhere, also after the expiry grace of logout-all', async () => {
    const { user } = await harness.login()
    const now = Math.floor(Date.now() / 1000)
    const token = await new SignJWT({ fid: 'family-of-the-future' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(harness.config.auth.jwt.issuer)
      .setAudience(harness.config.auth.jwt.audience)
      .setIssuedAt(now)
      .setNotBefore(now + 24 * 3600)
      .setExpirationTime(now + 2 * 24 * 3600)
      .sign(createSecretKey(Buffer.from(TEST_JWT_SECRET, 'utf8')))
    const authorization = `Bearer ${token}`
    const logoutAll = await harness.inject({ method: 'POST', url: '/auth/logout-all', headers: { authorization } })
    expect(logoutAll.statusCode).toBe(401)
    expect(logoutAll.json()).toMatchObject({ code: 'AUTH_TOKEN_INVALID' })
    // Nothing was remembered on the way: the ordinary check refuses it too.
    const me = await harness.inject({ method: 'GET', url: '/me', headers: { authorization } })
    expect(me.statusCode).toBe(401)
  })
})
