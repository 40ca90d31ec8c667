import { describe, expect, it } from 'vitest'
import { isAuthError } from '../../src/core/errors'
import { assertTokenGrant } from '../../src/core/token-grant'

const SHAPE = 'the login answer must be { token: string, expiresIn?: seconds, refreshToken?: string, user?: object }'

describe("the backend's token grant is checked before the engine trusts it", () => {
  it.each([
    ['a token alone', { token: 't' }],
    ['every field', { token: 't', expiresIn: 3600, refreshToken: 'r', user: { id: 'u' } }],
    ['null optional fields', { token: 't', expiresIn: null, refreshToken: null, user: null }],
    ['a fraction of a second', { token: 't', expiresIn: 0.5 }],
  ])('accepts %s, as it is', (_, grant) => {
    expect(assertTokenGrant(grant)).toBe(grant)
  })

  it.each([
    ['no answer', undefined],
    ['null', null],
    ['a string', 'token'],
    ['no token', { expiresIn: 60 }],
    ['an empty token', { token: '' }],
    ['a numeric token', { token: 1 }],
    ['expiresIn 0', { token: 't', expiresIn: 0 }],
    ['a negative expiresIn', { token: 't', expiresIn: -60 }],
    ['an infinite expiresIn', { token: 't', expiresIn: Number.POSITIVE_INFINITY }],
    ['expiresIn NaN', { token: 't', expiresIn: Number.NaN }],
    ['expiresIn as a string', { token: 't', expiresIn: '3600' }],
    ['a numeric refresh token', { token: 't', refreshToken: 42 }],
    ['a user that is a string', { token: 't', user: 'bob' }],
    ['a user that is an array', { token: 't', user: [] }],
  ])('refuses %s as a failed exchange that names the expected shape and keeps the answer', (_, grant) => {
    let thrown: unknown
    try {
      assertTokenGrant(grant)
    } catch (error) {
      thrown = error
    }
    expect(isAuthError(thrown)).toBe(true)
    expect(thrown).toMatchObject({ code: 'LOGIN_EXCHANGE_FAILED', message: SHAPE })
    expect((thrown as { cause: unknown }).cause).toBe(grant)
  })
})
