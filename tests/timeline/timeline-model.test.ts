import { describe, expect, it } from 'vitest'
import { AuthError } from '../../src/core/errors'
import type { AuthEvent } from '../../src/core/events'
import { barStyle, foldTimeline } from '../../src/timeline/timeline-model'

/** A cold start: login 1, two requests waiting on it, one of them refused once and replayed after login 2. */
const story: AuthEvent[] = [
  { type: 'request-start', at: 0, request: 1, api: 'request', method: 'GET', url: 'https://api.test/a' },
  { type: 'request-wait', at: 1, request: 1, login: 1 },
  { type: 'login-start', at: 1, login: 1, reason: 'cold-start', generation: 0 },
  { type: 'request-start', at: 2, request: 2, api: 'uploadFile', method: 'POST', url: 'https://api.test/b' },
  { type: 'request-wait', at: 2, request: 2, login: 1 },
  { type: 'login-end', at: 10, login: 1, ms: 9, outcome: 'logged-in' },
  { type: 'request-send', at: 11, request: 1, replay: 0, generation: 1 },
  { type: 'request-send', at: 11, request: 2, replay: 0, generation: 1 },
  { type: 'request-end', at: 15, request: 1, statusCode: 200 },
  { type: 'request-unauthorized', at: 16, request: 2, generation: 1 },
  { type: 'request-wait', at: 16, request: 2, login: 2 },
  { type: 'login-start', at: 16, login: 2, reason: 'unauthorized', generation: 1 },
  { type: 'login-end', at: 20, login: 2, ms: 4, outcome: 'failed', error: new AuthError('LOGIN_TIMEOUT', 'slow') },
  { type: 'request-end', at: 20, request: 2, error: 'LOGIN_TIMEOUT' },
]

describe('foldTimeline(events)', () => {
  it('one bar per login and per request, with each wait closed by the send (or the end) that followed it', () => {
    const { logins, requests } = foldTimeline(story)
    expect(logins).toEqual([
      { id: 1, reason: 'cold-start', start: 1, end: 10, outcome: 'logged-in', error: undefined },
      { id: 2, reason: 'unauthorized', start: 16, end: 20, outcome: 'failed', error: 'LOGIN_TIMEOUT' },
    ])
    expect(requests).toEqual([
      {
        id: 1,
        api: 'request',
        method: 'GET',
        url: 'https://api.test/a',
        start: 0,
        end: 15,
        waits: [{ login: 1, start: 1, end: 11 }],
        replays: 0,
        statusCode: 200,
        error: undefined,
      },
      {
        id: 2,
        api: 'uploadFile',
        method: 'POST',
        url: 'https://api.test/b',
        start: 2,
        end: 20,
        waits: [
          { login: 1, start: 2, end: 11 },
          { login: 2, start: 16, end: 20 },
        ],
        replays: 0,
        statusCode: undefined,
        error: 'LOGIN_TIMEOUT',
      },
    ])
  })

  it('a running login and a waiting request have no end yet', () => {
    const { logins, requests } = foldTimeline(story.slice(0, 5))
    expect(logins[0]?.end).toBeUndefined()
    expect(requests.map((r) => r.waits[0]?.end)).toEqual([undefined, undefined])
  })

  it('keeps the latest `limit` requests and the logins they waited on, dropping older ones', () => {
    const { logins, requests } = foldTimeline(story, 1)
    expect(requests.map((r) => r.id)).toEqual([2])
    expect(logins.map((l) => l.id)).toEqual([1, 2])
    const later = foldTimeline([...story, { type: 'request-start', at: 30, request: 3, api: 'request', method: 'GET', url: '/c' }], 1)
    expect(later.logins).toEqual([])
  })

  it('ignores events about requests or logins it never saw start', () => {
    const { logins, requests } = foldTimeline([
      { type: 'login-end', at: 5, login: 9, ms: 1, outcome: 'confirmed' },
      { type: 'request-send', at: 5, request: 9, replay: 1, generation: 2 },
      { type: 'request-end', at: 6, request: 9, statusCode: 200 },
    ])
    expect(logins).toEqual([])
    expect(requests).toEqual([])
  })
})

describe('barStyle(start, end, from, to)', () => {
  it('places a bar as percentages of the span; a running bar reaches the end; a tiny bar stays visible', () => {
    expect(barStyle(25, 75, 0, 100)).toEqual({ left: '25.00%', width: '50.00%' })
    expect(barStyle(50, undefined, 0, 100)).toEqual({ left: '50.00%', width: '50.00%' })
    expect(barStyle(10, 10, 0, 100)).toEqual({ left: '10.00%', width: '0.50%' })
    expect(barStyle(0, 0, 0, 0)).toEqual({ left: '0.00%', width: '0.50%' })
  })
})
