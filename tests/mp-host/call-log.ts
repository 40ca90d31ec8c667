/** One recorded `wx.*` call: which API, the arguments it got, and when (ms since the epoch, `Date.now()`). */
export interface WxCall {
  /** Position in the log, from 0. */
  readonly seq: number
  readonly api: string
  /** A shallow copy of the first argument (object APIs) or the arguments themselves (sync APIs). */
  readonly args: readonly unknown[]
  readonly at: number
}

/** The ordered log of every call the fake `wx` received. */
export interface CallLog {
  readonly all: readonly WxCall[]
  record(api: string, args: readonly unknown[]): WxCall
  /** Calls of one API, in order. */
  of(api: string): WxCall[]
  count(api: string): number
}

export function createCallLog(): CallLog {
  const all: WxCall[] = []
  return {
    all,
    record(api, args) {
      const call: WxCall = { seq: all.length, api, args: args.map(snapshot), at: Date.now() }
      all.push(call)
      return call
    },
    of: (api) => all.filter((call) => call.api === api),
    count: (api) => all.reduce((n, call) => n + (call.api === api ? 1 : 0), 0),
  }
}

/** Copies plain objects one level deep (and their `header`), so later mutation by the caller does not rewrite history. */
function snapshot(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) }
  if (typeof copy.header === 'object' && copy.header !== null) copy.header = { ...(copy.header as Record<string, unknown>) }
  return copy
}
