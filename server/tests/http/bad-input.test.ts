import { describe, expect, it } from 'vitest'
import { useHarness } from '../helpers/harness.js'

describe('bad input gets a 4xx with a stable code, never a 5xx', () => {
  const harness = useHarness()
  const json = { 'content-type': 'application/json' }

  const cases: { name: string; url: string; payload?: string; headers?: Record<string, string>; status: number; code: string }[] = [
    { name: 'malformed JSON', url: '/auth/login', payload: '{"code": ', headers: json, status: 400, code: 'BAD_REQUEST' },
    { name: 'empty body', url: '/auth/login', payload: '', headers: json, status: 400, code: 'BAD_REQUEST' },
    { name: 'missing code', url: '/auth/login', payload: '{}', headers: json, status: 400, code: 'BAD_REQUEST' },
    { name: 'numeric code', url: '/auth/login', payload: '{"code": 12345}', headers: json, status: 400, code: 'BAD_REQUEST' },
    { name: 'null code', url: '/auth/login', payload: '{"code": null}', headers: json, status: 400, code: 'BAD_REQUEST' },
    { name: 'array body', url: '/auth/login', payload: '["x"]', headers: json, status: 400, code: 'BAD_REQUEST' },
    { name: 'empty code', url: '/auth/login', payload: '{"code": ""}', headers: json, status: 400, code: 'BAD_REQUEST' },
    { name: 'code with spaces', url: '/auth/login', payload: '{"code": "a b"}', headers: json, status: 400, code: 'BAD_REQUEST' },
    {
      name: 'proto pollution',
      url: '/auth/login',
      payload: '{"code":"x","__proto__":{"a":1}}',
      headers: json,
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'oversized body',
      url: '/auth/login',
      payload: JSON.stringify({ code: 'x'.repeat(20_000) }),
      headers: json,
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'form body',
      url: '/auth/login',
      payload: 'code=abc',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'text/plain body',
      url: '/auth/login',
      payload: 'code=abc',
      headers: { 'content-type': 'text/plain' },
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    { name: 'refresh without token', url: '/auth/refresh', payload: '{}', headers: json, status: 400, code: 'BAD_REQUEST' },
    {
      name: 'refresh with object token',
      url: '/auth/refresh',
      payload: '{"refreshToken":{"$ne":1}}',
      headers: json,
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'unknown refresh token',
      url: '/auth/refresh',
      payload: '{"refreshToken":"nope"}',
      headers: json,
      status: 401,
      code: 'AUTH_REFRESH_INVALID',
    },
  ]

  it.each(cases)('$name → $status $code', async ({ url, payload, headers, status, code }) => {
    const response = await harness().inject({ method: 'POST', url, payload, headers })
    expect(response.statusCode).toBe(status)
    expect(response.json()).toEqual({ code, message: expect.any(String) })
  })

  it('unknown routes are 404 NOT_FOUND', async () => {
    const response = await harness().inject({ method: 'GET', url: '/nope' })
    expect(response.statusCode).toBe(404)
    expect(response.json().code).toBe('NOT_FOUND')
  })

  it('a body-less logout with a JSON content type is accepted', async () => {
    const login = await harness().login()
    const response = await harness().inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { ...json, authorization: `Bearer ${login.token}` },
      payload: '',
    })
    expect(response.statusCode).toBe(204)
  })
})
