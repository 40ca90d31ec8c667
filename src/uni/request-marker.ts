import type { Session } from '../core/types.js'
import type { UniOptions } from './uni-host.js'

/**
 * A plain string key survives every copy uni-app makes of the options (`extend({}, options)`),
 * unlike a symbol key or a WeakSet of objects. The interceptor removes it before the call leaves.
 */
const MARKER_KEY = '__uniMpAuth'

export type RequestMarker =
  /** The plugin's own call (login, refresh, logout, phone, a guard's navigation): never intercepted. */
  | { kind: 'bypass' }
  /** A call the plugin re-issues after waiting or after a 401, with the options it first saw. */
  | { kind: 'resume'; snapshot: UniOptions; replays: number; session: Session; request: number }

export const BYPASS: RequestMarker = { kind: 'bypass' }

export function takeMarker(options: UniOptions): RequestMarker | undefined {
  const marker = options[MARKER_KEY] as RequestMarker | undefined
  // Only delete when present: `delete` turns the object into a slow dictionary in V8, on every call.
  if (marker) delete options[MARKER_KEY]
  return marker
}

export function withMarker(options: UniOptions, marker: RequestMarker): UniOptions {
  return { ...options, [MARKER_KEY]: marker }
}
