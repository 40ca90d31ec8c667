import { SemaphoreTimeoutError } from '../base/errors.js'

interface Slot {
  active: number
  waiting: Array<() => void>
}

/**
 * At most `permits` holders per key at a time; later callers wait in line (FIFO) for up to
 * `waitMs`. Keys without holders or waiters are forgotten, so memory follows current load only.
 */
export class KeyedSemaphore {
  private readonly slots = new Map<string, Slot>()

  constructor(private readonly permits: number) {}

  /** Resolves a release function once a permit for `key` is held; rejects after `waitMs` in line. */
  acquire(key: string, waitMs: number): Promise<() => void> {
    let slot = this.slots.get(key)
    if (!slot) {
      slot = { active: 0, waiting: [] }
      this.slots.set(key, slot)
    }
    const held = slot
    const release = this.releaser(key, held)
    if (held.active < this.permits) {
      held.active += 1
      return Promise.resolve(release)
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer)
        resolve(release)
      }
      const timer = setTimeout(() => {
        held.waiting.splice(held.waiting.indexOf(grant), 1)
        this.forgetIfIdle(key, held)
        reject(new SemaphoreTimeoutError(`no permit for ${key} within ${waitMs} ms`))
      }, waitMs)
      held.waiting.push(grant)
    })
  }

  private releaser(key: string, slot: Slot): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = slot.waiting.shift()
      // The permit passes straight to the next in line, so `active` stays the same.
      if (next) next()
      else {
        slot.active -= 1
        this.forgetIfIdle(key, slot)
      }
    }
  }

  private forgetIfIdle(key: string, slot: Slot): void {
    if (slot.active === 0 && slot.waiting.length === 0) this.slots.delete(key)
  }

  /** Keys currently held or waited for (for tests and metrics). */
  get size(): number {
    return this.slots.size
  }
}
