import type { Session } from '../core/types'
import type { UniOptions } from './uni-like'

/**
 * A plain string key survives every copy uni-app makes of the options (`extend({}, options)`),
 * unlike a symbol key or a WeakSet of objects. The interceptor removes it before the request leaves.
 */
export const MARKER_KEY = '__uniMpAuth'

export type RequestMarker =
  /** The plugin's own login / refresh call: never waits for the session it is creating. */
  | { kind: 'bypass' }
  /** A request the plugin re-issues after waiting or after a 401, with the options it first saw. */
  | { kind: 'resume'; snapshot: UniOptions; replays: number; session: Session }

export function takeMarker(options: UniOptions): RequestMarker | undefined {
  const marker = options[MARKER_KEY] as RequestMarker | undefined
  // Only delete when present: `delete` turns the object into a slow dictionary in V8, on every request.
  if (marker !== undefined) delete options[MARKER_KEY]
  return marker
}

export function withMarker(options: UniOptions, marker: RequestMarker): UniOptions {
  return { ...options, [MARKER_KEY]: marker }
}
