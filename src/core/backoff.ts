export interface BackoffOptions {
  /**
   * Pause after the second failure in a row; doubles with each further failure.
   * The first failure has no pause, so one flaky attempt is retried at once.
   * @default 1000
   */
  baseMs?: number
  /** Upper bound of the pause. @default 30000 */
  maxMs?: number
}

/** How long automatic login attempts pause after `failures` consecutive failures. */
export function backoffDelay(failures: number, { baseMs = 1000, maxMs = 30_000 }: BackoffOptions = {}): number {
  if (failures <= 1) return 0
  return Math.min(maxMs, baseMs * 2 ** (failures - 2))
}
