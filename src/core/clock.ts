import type { Clock } from './types'

/**
 * Looks the timer functions up on every call rather than capturing them, so fake timers installed
 * after the plugin was created (vi.useFakeTimers) still drive it.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
}
