import { type InjectionKey, inject, type ShallowRef, shallowRef } from 'vue'
import type { AuthEvent, AuthEventListener } from '../core/events.js'
import { useAuth } from '../vue/use-auth.js'
import { authContext } from '../vue/auth-context.js'

/** The events the timeline draws, batched so a burst of fifty requests renders a few times, not hundreds. */
export interface TimelineRecorder {
  readonly events: ShallowRef<readonly AuthEvent[]>
  clear(): void
}

/** Registered symbol: a second copy of this module (see auth-context.ts) finds the app's recorder. */
const RECORDER: InjectionKey<TimelineRecorder> = Symbol.for('uni-mp-auth.timeline')

function record(subscribe: (listener: AuthEventListener) => unknown, keep = 4000): TimelineRecorder {
  const events = shallowRef<readonly AuthEvent[]>([])
  let queued: AuthEvent[] = []
  let flush: ReturnType<typeof setTimeout> | undefined
  subscribe((event) => {
    queued.push(event)
    if (flush) return
    flush = setTimeout(() => {
      events.value = [...events.value, ...queued].slice(-keep)
      queued = []
      flush = undefined
    }, 50)
  })
  return { events, clear: () => (events.value = []) }
}

/**
 * `app.use(createAuthTimeline())` after `createUniAuth`: records from the very start, so the
 * `<AuthTimeline>` shown later still has the launch login. Without it, the component records from
 * the moment it mounts.
 */
export function createAuthTimeline(): { install(app: { provide<T>(key: InjectionKey<T>, value: T): unknown }): void } {
  return {
    install(app) {
      app.provide(RECORDER, record(authContext().engine.subscribe))
    },
  }
}

/** The app's recorder, or one of the calling component's own (unsubscribed with it). */
export function useTimelineRecorder(): TimelineRecorder {
  return inject(RECORDER, null) ?? record(useAuth().onEvent)
}
