/**
 * Callers waiting per key for something to free up (a token given back), each also woken by its
 * own timer: `wait` resolves on whichever comes first. Keys without waiters are forgotten.
 */
export class Wakeups {
  private readonly waiting = new Map<string, Array<() => void>>()

  wait(key: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const queue = this.waiting.get(key) ?? []
      this.waiting.set(key, queue)
      const wake = () => {
        clearTimeout(timer)
        const index = queue.indexOf(wake)
        if (index >= 0) queue.splice(index, 1)
        if (queue.length === 0 && this.waiting.get(key) === queue) this.waiting.delete(key)
        resolve()
      }
      const timer = setTimeout(wake, timeoutMs)
      queue.push(wake)
    })
  }

  /** Wakes the longest waiter of `key`, if any. */
  wakeOne(key: string): void {
    this.waiting.get(key)?.[0]?.()
  }

  /** Wakes every waiter of `key`. */
  wakeAll(key: string): void {
    for (const wake of [...(this.waiting.get(key) ?? [])]) wake()
  }

  /** Keys with waiters (for tests). */
  get size(): number {
    return this.waiting.size
  }
}
