import { describe, expect, it } from 'vitest'
import { AuthError } from '../../src/core/errors'
import type { AuthEvent } from '../../src/core/events'
import { describeEvent } from '../../src/uni/describe-event'

const session = { token: 'secret-token', expiresAt: null, renewAt: null, generation: 3, refreshToken: 'secret-refresh', user: null }

describe('debug lines: one per event', () => {
  it.each<[string, AuthEvent, string]>([
    ['a status change', { type: 'status', at: 5, status: 'logging-in' }, '[uni-mp-auth] status status=logging-in'],
    ['a session, as its generation only', { type: 'session', at: 5, session }, '[uni-mp-auth] session session=generation 3'],
    ['no session', { type: 'session', at: 5, session: null }, '[uni-mp-auth] session session=null'],
    [
      'a failed login, as its error code',
      { type: 'login-end', at: 5, login: 2, ms: 84, outcome: 'failed', error: new AuthError('LOGIN_TIMEOUT', 'late') },
      '[uni-mp-auth] login-end login=2 ms=84 outcome=failed error=LOGIN_TIMEOUT',
    ],
    ['an event without fields, without a trailing space', { type: 'logout', at: 5 }, '[uni-mp-auth] logout'],
    [
      'a request, without its timestamp',
      { type: 'request-start', at: 5, request: 1, api: 'request', method: 'GET', url: '/orders' },
      '[uni-mp-auth] request-start request=1 api=request method=GET url=/orders',
    ],
  ])('%s', (_, event, line) => {
    expect(describeEvent(event)).toBe(line)
  })

  it('never prints a token or a refresh token', () => {
    const line = describeEvent({ type: 'session', at: 1, session })
    expect(line).not.toContain('secret')
  })
})
