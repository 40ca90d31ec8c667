import type { AuthEvent, LoginOutcome, LoginReason } from '../core/events.js'

/** One login attempt on the timeline. */
export interface TimelineLogin {
  id: number
  reason: LoginReason
  start: number
  /** `undefined` while it runs. */
  end?: number
  outcome?: LoginOutcome
  /** The `AuthError` code of a failed attempt. */
  error?: string
}

/** A stretch of a request's life spent waiting for login attempt `login`. */
export interface TimelineWait {
  login: number
  start: number
  end?: number
}

/** One intercepted request on the timeline. */
export interface TimelineRequest {
  id: number
  api: 'request' | 'uploadFile' | 'downloadFile'
  /** The HTTP method. */
  method: string
  url: string
  start: number
  end?: number
  waits: TimelineWait[]
  /** Replays after a 401. */
  replays: number
  statusCode?: number
  error?: string
}

export interface Timeline {
  logins: TimelineLogin[]
  requests: TimelineRequest[]
}

/**
 * Folds the event stream into bars: one per login attempt, one per request with the waits it spent
 * on logins. Keeps the latest `limit` requests and the logins they (or the present) need.
 */
export function foldTimeline(events: readonly AuthEvent[], limit = 60): Timeline {
  const logins = new Map<number, TimelineLogin>()
  const requests = new Map<number, TimelineRequest>()
  for (const event of events) {
    switch (event.type) {
      case 'login-start':
        logins.set(event.login, { id: event.login, reason: event.reason, start: event.at })
        break
      case 'login-end': {
        const login = logins.get(event.login)
        if (login) Object.assign(login, { end: event.at, outcome: event.outcome, error: event.error?.code })
        break
      }
      case 'request-start':
        requests.set(event.request, {
          id: event.request,
          api: event.api,
          method: event.method,
          url: event.url,
          start: event.at,
          waits: [],
          replays: 0,
        })
        break
      case 'request-wait':
        requests.get(event.request)?.waits.push({ login: event.login, start: event.at })
        break
      case 'request-send': {
        const request = requests.get(event.request)
        if (!request) break
        request.replays = event.replay
        closeWait(request, event.at)
        break
      }
      case 'request-end': {
        const request = requests.get(event.request)
        if (!request) break
        closeWait(request, event.at)
        Object.assign(request, { end: event.at, statusCode: event.statusCode, error: event.error })
        break
      }
    }
  }
  const latest = [...requests.values()].slice(-limit)
  const needed = new Set(latest.flatMap((request) => request.waits.map((wait) => wait.login)))
  const first = latest[0]?.start ?? Number.NEGATIVE_INFINITY
  return {
    logins: [...logins.values()].filter((login) => needed.has(login.id) || login.start >= first),
    requests: latest,
  }
}

function closeWait(request: TimelineRequest, at: number): void {
  const open = request.waits[request.waits.length - 1]
  if (open && open.end === undefined) open.end = at
}

/** A bar's position as percentages of the span between `from` and `to`. */
export function barStyle(start: number, end: number | undefined, from: number, to: number): { left: string; width: string } {
  const span = Math.max(to - from, 1)
  const left = ((start - from) / span) * 100
  const right = (((end ?? to) - from) / span) * 100
  return { left: `${left.toFixed(2)}%`, width: `${Math.max(right - left, 0.5).toFixed(2)}%` }
}
