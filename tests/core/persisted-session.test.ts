import { describe, expect, it } from 'vitest'
import { isObject, parseSession, serializeSession } from '../../src/core/persisted-session'
import type { Session } from '../../src/core/types'

const session: Session = {
  token: 't',
  expiresAt: 2000,
  renewAt: 1500,
  generation: 0,
  refreshToken: 'r',
  user: { id: 'u1' },
}
const stored = (patch: Record<string, unknown>) => JSON.stringify({ v: 2, ...session, ...patch })

describe('the stored session format', () => {
  it('is JSON with a format version', () => {
    expect(JSON.parse(serializeSession(session))).toEqual({ v: 2, ...session })
  })

  it('stores the logged-out mark without a token, and reads it back', () => {
    expect(JSON.parse(serializeSession('logged-out'))).toEqual({ v: 2, loggedOut: true })
    expect(parseSession(serializeSession('logged-out'))).toBe('logged-out')
  })

  it('reads a format-1 session (0.2 and earlier) as the session it is: logged in', () => {
    expect(parseSession(JSON.stringify({ v: 1, ...session }))).toEqual(session)
  })

  it.each([
    ['a format-1 value (which had no mark)', JSON.stringify({ v: 1, loggedOut: true })],
    ['a mark that is not true', JSON.stringify({ v: 2, loggedOut: 'yes' })],
    ['an unknown later format', JSON.stringify({ v: 3, loggedOut: true })],
    ['an unknown later format with a session', JSON.stringify({ v: 3, ...session })],
  ])('%s is neither a session nor the mark', (_, raw) => {
    expect(parseSession(raw)).toBeNull()
  })

  it.each([
    ['generation 0 (a token restored before any login of this install)', {}],
    ['no expiry and no renewal time', { expiresAt: null, renewAt: null }],
    ['no refresh token and no user', { refreshToken: null, user: null }],
  ])('reads back %s', (_, patch) => {
    expect(parseSession(stored(patch))).toEqual({ ...session, ...patch })
  })

  it('reads only the session fields, not whatever else the stored object carries', () => {
    expect(parseSession(stored({ extra: 'x' }))).toEqual(session)
  })

  it.each([
    ['nothing stored', null],
    ['no format version', JSON.stringify(session)],
    ['the version as a string', stored({ v: '1' })],
    ['a missing token', stored({ token: undefined })],
    ['an infinite expiry', JSON.stringify({ v: 2, ...session }).replace('"expiresAt":2000', '"expiresAt":1e999')],
    ['a renewal time that is a string', stored({ renewAt: '1500' })],
    ['a fractional generation', stored({ generation: 1.5 })],
    ['a generation that is a string', stored({ generation: '1' })],
    ['a numeric refresh token', stored({ refreshToken: 42 })],
    ['a missing refresh token', stored({ refreshToken: undefined })],
    ['a user that is an array', stored({ user: [] })],
    ['a missing user', stored({ user: undefined })],
  ])('%s counts as no session', (_, raw) => {
    expect(parseSession(raw)).toBeNull()
  })
})

describe('isObject', () => {
  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [null, false],
    [[], false],
    ['x', false],
    [1, false],
    [undefined, false],
  ])('isObject(%j) → %s', (value, expected) => {
    expect(isObject(value)).toBe(expected)
  })
})
