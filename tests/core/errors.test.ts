import { describe, expect, it } from 'vitest'
import { AuthError, isAuthError, toAuthError } from '../../src/core/errors'

describe('AuthError', () => {
  it('carries its code, message, cause and retry time, and is an Error named AuthError', () => {
    const cause = new Error('root')
    const error = new AuthError('LOGIN_BACKOFF', 'wait', cause, 1500)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ name: 'AuthError', code: 'LOGIN_BACKOFF', message: 'wait', cause, retryAfterMs: 1500 })
  })

  it('has a uni-style errMsg, so callers reading fail(result).errMsg keep working', () => {
    expect(new AuthError('LOGIN_TIMEOUT', 'login took over 10 ms').errMsg).toBe('uni-mp-auth:fail LOGIN_TIMEOUT login took over 10 ms')
  })

  it('is recognized by isAuthError, also as a copy from another bundle (brand, not instanceof)', () => {
    const error = new AuthError('LOGGED_OUT', 'bye')
    expect(isAuthError(error)).toBe(true)
    const foreign = Object.defineProperty({ code: 'LOGGED_OUT' }, Symbol.for('uni-mp-auth.AuthError'), { value: true })
    expect(isAuthError(foreign)).toBe(true)
  })

  it.each([
    ['a plain Error', new Error('x')],
    ['an object with the same fields', { name: 'AuthError', code: 'LOGGED_OUT', message: 'x' }],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'AuthError'],
    ['a brand that is not true', Object.defineProperty({}, Symbol.for('uni-mp-auth.AuthError'), { value: 1 })],
  ])('isAuthError(%s) is false', (_, value) => {
    expect(isAuthError(value)).toBe(false)
  })
})

describe('toAuthError: anything thrown becomes a typed error that keeps its reason', () => {
  it('keeps an AuthError as it is', () => {
    const error = new AuthError('LOGIN_TIMEOUT', 'late')
    expect(toAuthError(error, 'LOGIN_EXCHANGE_FAILED', 'login failed')).toBe(error)
  })

  it.each([
    ['an Error', new Error('HTTP 500'), 'login failed: HTTP 500'],
    ["uni's fail payload", { errMsg: 'login:fail system error' }, 'login failed: login:fail system error'],
    ['a string', 'offline', 'login failed: offline'],
    ['an Error without a message', new Error(''), 'login failed'],
    ['an empty object', {}, 'login failed'],
    ['undefined', undefined, 'login failed'],
    ['null', null, 'login failed'],
    ['an empty string', '', 'login failed'],
  ])('wraps %s with the given code, message and the original as cause', (_, value, message) => {
    const error = toAuthError(value, 'LOGIN_EXCHANGE_FAILED', 'login failed')
    expect(isAuthError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'LOGIN_EXCHANGE_FAILED', message })
    expect(error.cause).toBe(value)
  })

  it("prefers an Error's message to an errMsg", () => {
    const value = Object.assign(new Error('from message'), { errMsg: 'from errMsg' })
    expect(toAuthError(value, 'LOGIN_PLATFORM_FAILED', 'code').message).toBe('code: from message')
  })
})
