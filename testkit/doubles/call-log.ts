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
  record(api: string, args: readonly unknown[]): void
  /** Calls of one API, in order. */
  of(api: string): WxCall[]
  /** How many calls of one API; counted even when the log keeps no entries. */
  count(api: string): number
  /** Forgets every call and count (a relaunch, or the start of a measured phase). */
  clear(): void
}

/**
 * `keep: false` only counts calls per API: a benchmark making a hundred thousand requests should
 * measure the plugin, not the copying of its arguments into a log.
 */
export function createCallLog({ keep = true }: { keep?: boolean } = {}): CallLog {
  const all: WxCall[] = []
  const counts = new Map<string, number>()
  return {
    all,
    record(api, args) {
      counts.set(api, (counts.get(api) ?? 0) + 1)
      if (keep) all.push({ seq: all.length, api, args: args.map(snapshot), at: Date.now() })
    },
    of: (api) => all.filter((call) => call.api === api),
    count: (api) => counts.get(api) ?? 0,
    clear() {
      all.length = 0
      counts.clear()
    },
  }
}

/** Copies plain objects one level deep (and their `header`), so later mutation by the caller does not rewrite history. */
function snapshot(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) }
  if (typeof copy.header === 'object' && copy.header !== null) copy.header = { ...(copy.header as Record<string, unknown>) }
  return copy
}
