import { describe, expect, it } from 'vitest'
import { isAuthError } from '../../src/core/errors'
import { isOk, postJson, requestGrant, type UniResponse } from '../../src/uni/own-requests'
import { takeMarker } from '../../src/uni/request-marker'
import type { UniLike, UniOptions } from '../../src/uni/uni-host'

/** A `uni` whose request records its options and answers with `answer` (a response, or a network failure). */
function answering(answer: UniResponse | { fail: unknown }) {
  const sent: UniOptions[] = []
  const uni = {
    request(options: UniOptions) {
      sent.push(options)
      queueMicrotask(() => {
        if ('fail' in answer) (options.fail as (e: unknown) => void)(answer.fail)
        else (options.success as (r: unknown) => void)(answer)
      })
    },
  } as unknown as UniLike
  return { uni, sent }
}

async function refusal(answer: UniResponse) {
  const { uni } = answering(answer)
  return requestGrant(uni, 'https://api.test/auth/login', { code: 'c' }).then(
    () => null,
    (error: unknown) => error,
  )
}

describe("the plugin's own calls (login, refresh, logout, phone)", () => {
  it('are JSON POSTs carrying the bypass marker, with the caller’s headers added', async () => {
    const { uni, sent } = answering({ statusCode: 200, data: {} })
    await postJson(uni, 'https://api.test/auth/logout', { refreshToken: 'r' }, { Authorization: 'Bearer t' })
    const [options] = sent
    expect(options).toMatchObject({
      url: 'https://api.test/auth/logout',
      method: 'POST',
      data: { refreshToken: 'r' },
      header: { 'content-type': 'application/json', Authorization: 'Bearer t' },
    })
    expect(takeMarker(options!)).toEqual({ kind: 'bypass' })
  })

  it('resolve with any HTTP answer and reject with a network failure', async () => {
    await expect(postJson(answering({ statusCode: 500, data: 'x' }).uni, '/x', {})).resolves.toMatchObject({ statusCode: 500 })
    const failure = { errMsg: 'request:fail timeout' }
    await expect(postJson(answering({ fail: failure }).uni, '/x', {})).rejects.toBe(failure)
  })

  it.each([
    [199, false],
    [200, true],
    [204, true],
    [299, true],
    [300, false],
    [401, false],
  ])('HTTP %i counts as ok: %s', (statusCode, ok) => {
    expect(isOk({ statusCode })).toBe(ok)
  })
})

describe('requestGrant: a code or refresh token for a grant', () => {
  it('hands a 2xx body over as it is', async () => {
    const data = { token: 't', expiresIn: 60 }
    const { uni, sent } = answering({ statusCode: 201, data })
    await expect(requestGrant(uni, 'https://api.test/auth/login', { code: 'c' })).resolves.toBe(data)
    expect(sent[0]).toMatchObject({ url: 'https://api.test/auth/login', data: { code: 'c' } })
  })

  it('a refusal is a failed exchange naming the URL and the status, with the body as cause', async () => {
    const error = await refusal({ statusCode: 403, data: { code: 'BANNED' } })
    expect(isAuthError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'LOGIN_EXCHANGE_FAILED',
      message: 'https://api.test/auth/login answered HTTP 403',
      cause: { code: 'BANNED' },
      retryAfterMs: undefined,
    })
  })

  it.each([
    ['Retry-After', '7', 7000],
    ['retry-after', '2', 2000],
    ['Retry-After', '0.5', 500],
  ])('a %s: %s header makes the engine wait %i ms', async (name, value, ms) => {
    expect(await refusal({ statusCode: 429, data: null, header: { [name]: value } })).toMatchObject({ retryAfterMs: ms })
  })

  it.each([
    ['no header at all', undefined],
    ['no Retry-After', { 'content-type': 'text/plain' }],
    ['Retry-After: 0', { 'Retry-After': '0' }],
    ['a negative Retry-After', { 'Retry-After': '-5' }],
    ['an HTTP date (not supported: no pause)', { 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }],
  ])('%s adds no pause of its own', async (_, header) => {
    expect(await refusal({ statusCode: 503, data: null, header })).toMatchObject({ retryAfterMs: undefined })
  })
})
