/**
 * How the fake `wx` calls back: one scheduled delivery per answer (never synchronous, cancellable
 * until delivered), answers that wait for a promise, and the tasks network calls return.
 */
import type { FakeTask, HttpAnswer } from './fake-wx'

type Callback = (result: unknown) => void

/** A callback API's options, as the app passes them. */
export interface CallbackOptions {
  success?: Callback
  fail?: Callback
  complete?: Callback
  [key: string]: unknown
}
/** An answer that can still be stopped: `cancel()` is false when it was already delivered. */
export interface Cancellable {
  cancel(): boolean
}

/** Where answers are counted while pending (one per phone, see `reset()`). */
export interface PendingCount {
  pending: number
}

// Per-call objects are classes, not closures: a benchmark sends a hundred thousand requests through
// this fake, and per-call closures (which tsx also renames one by one) would cost more than uni.

/** One scheduled callback: delivered once, later, the way WeChat always calls back (never synchronously). */
export class Delivery implements Cancellable {
  private done = false
  private readonly timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly phone: PendingCount,
    private readonly options: CallbackOptions,
    private readonly outcome: 'success' | 'fail',
    private readonly result: Record<string, unknown>,
    ms: number,
  ) {
    phone.pending += 1
    if (ms > 0) this.timer = setTimeout(() => this.deliver(), ms)
    else queueMicrotask(() => this.deliver())
  }

  private deliver(): void {
    if (this.done) return
    this.done = true
    this.phone.pending -= 1
    this.options[this.outcome]?.(this.result)
    this.options.complete?.(this.result)
  }

  cancel(): boolean {
    if (this.done) return false
    this.done = true
    this.phone.pending -= 1
    if (this.timer !== undefined) clearTimeout(this.timer)
    return true
  }
}

/** A call that never answers: there is always something to cancel. */
export const HANGING: Cancellable = { cancel: () => true }

/** An answer that waits for a promise the scenario holds; cancelling before it settles drops it. */
export class AwaitedAnswer implements Cancellable {
  private delivery: Cancellable | null = null
  private dropped = false

  constructor(outcome: Promise<HttpAnswer>, answer: (settled: HttpAnswer) => Cancellable) {
    void outcome.then((settled) => {
      if (!this.dropped) this.delivery = answer(settled)
    })
  }

  cancel(): boolean {
    if (this.delivery) return this.delivery.cancel()
    this.dropped = true
    return true
  }
}

/** The `RequestTask` / `UploadTask` / `DownloadTask`: `abort()` before the answer arrives turns it into a `fail`. */
export class Task implements FakeTask {
  [method: string]: unknown
  #aborted = false

  constructor(
    private readonly answer: Cancellable,
    private readonly onAbort: () => void,
  ) {}

  get aborted(): boolean {
    return this.#aborted
  }

  abort(): void {
    if (this.#aborted || !this.answer.cancel()) return
    this.#aborted = true
    this.onAbort()
  }

  onProgressUpdate(): void {}
  offProgressUpdate(): void {}
  onHeadersReceived(): void {}
  offHeadersReceived(): void {}
  onChunkReceived(): void {}
  offChunkReceived(): void {}
}
