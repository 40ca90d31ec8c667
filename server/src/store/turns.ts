/** Runs tasks one at a time, in the order they were given; a failed task does not stop the next. */
export class Turns {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task)
    this.tail = result.catch(() => undefined)
    return result
  }
}
