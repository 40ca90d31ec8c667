import { describe, expect, it } from 'vitest'
import { maskPhone } from '../../src/http/public-user.js'
import { armFault, expectNoSecretsLeaked, startHarness, useHarness } from '../helpers/harness.js'

describe('POST /auth/phone', () => {
  const harness = useHarness()

  it('binds the phone number and returns it masked only', async () => {
    const login = await harness().login()
    const phoneCode = harness().mock.state.mintPhoneCode('13912345678')
    const response = await harness().inject({
      method: 'POST',
      url: '/auth/phone',
      headers: { authorization: `Bearer ${login.token}` },
      payload: { code: phoneCode },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json().user).toMatchObject({ id: login.user.id, phoneBound: true, phoneMasked: '139****5678' })
    expect(response.body).not.toContain('13912345678')
    const me = await harness().inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${login.token}` } })
    expect(me.json().user.phoneBound).toBe(true)
  })

  it('requires authentication', async () => {
    const response = await harness().inject({ method: 'POST', url: '/auth/phone', payload: { code: 'mock-phone-1' } })
    expect(response.statusCode).toBe(401)
  })

  it('maps a bad phone code to WX_CODE_INVALID', async () => {
    const login = await harness().login()
    const response = await harness().inject({
      method: 'POST',
      url: '/auth/phone',
      headers: { authorization: `Bearer ${login.token}` },
      payload: { code: 'unknown-phone-code' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('WX_CODE_INVALID')
  })

  it('50 concurrent bindings share exactly one upstream access_token request', async () => {
    // A fresh harness: its store has no cached access_token yet. 50 logins at once on a busy
    // 2-core machine can outlast the default 400 ms WeChat timeout; this test is not about timeouts.
    const fresh = await startHarness({ env: { WX_TIMEOUT_MS: '5000' } })
    try {
      const logins = await Promise.all(Array.from({ length: 50 }, () => fresh.login()))
      const responses = await Promise.all(
        logins.map((login) =>
          fresh.inject({
            method: 'POST',
            url: '/auth/phone',
            headers: { authorization: `Bearer ${login.token}` },
            payload: { code: fresh.mock.state.mintPhoneCode() },
          }),
        ),
      )
      expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(200))
      expect(await fresh.stats()).toMatchObject({ stable_token: 1, token: 0, getuserphonenumber: 50 })
      expectNoSecretsLeaked(fresh)
    } finally {
      await fresh.close()
    }
  })

  it('retries once with a fresh access_token when WeChat rejects the cached one', async () => {
    const login = await harness().login()
    await armFault(harness(), { endpoint: 'getuserphonenumber', errcode: 40001 })
    const before = await harness().stats()
    const response = await harness().inject({
      method: 'POST',
      url: '/auth/phone',
      headers: { authorization: `Bearer ${login.token}` },
      payload: { code: harness().mock.state.mintPhoneCode() },
    })
    expect(response.statusCode).toBe(200)
    const after = await harness().stats()
    expect(after.stable_token! - before.stable_token!).toBe(1)
  })
})

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 digits', () => {
    expect(maskPhone('13800138000')).toBe('138****8000')
    expect(maskPhone('12345')).toBe('***45')
  })
})
