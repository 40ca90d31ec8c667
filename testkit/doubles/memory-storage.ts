/**
 * The phone's storage in memory. It is a `Map` (what the fake `wx.getStorageSync` family reads and
 * writes, and what a relaunch hands to the next app run) and also a synchronous string storage in
 * the engine's `getItem` / `setItem` / `removeItem` shape, so engine tests and mini-program tests
 * share one kind of storage.
 */
export class MemoryStorage extends Map<string, unknown> {
  /** Whatever is stored under the key, or `null`: the engine must cope with foreign values itself. */
  getItem(key: string): string | null {
    return (this.get(key) ?? null) as string | null
  }

  setItem(key: string, value: string): void {
    this.set(key, value)
  }

  removeItem(key: string): void {
    this.delete(key)
  }
}

export function createMemoryStorage(initial: Record<string, unknown> = {}): MemoryStorage {
  return new MemoryStorage(Object.entries(initial))
}
