export type Listener<A extends unknown[]> = (...args: A) => void
export type EventMap = Record<string, unknown[]>

/** A minimal typed event hub; `on` returns its own unsubscribe so scopes can clean up. */
export interface Emitter<E extends EventMap> {
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void
  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void
  emit<K extends keyof E>(event: K, ...args: E[K]): void
}

export function createEmitter<E extends EventMap>(onListenerError: (error: unknown) => void): Emitter<E> {
  const listeners = new Map<keyof E, Set<Listener<never[]>>>()
  const off = <K extends keyof E>(event: K, listener: Listener<E[K]>): void => {
    listeners.get(event)?.delete(listener as unknown as Listener<never[]>)
  }
  return {
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) {
        set = new Set()
        listeners.set(event, set)
      }
      set.add(listener as unknown as Listener<never[]>)
      return () => off(event, listener)
    },
    off,
    emit(event, ...args) {
      // Copy first: a listener may unsubscribe itself while we iterate.
      for (const listener of [...(listeners.get(event) ?? [])]) {
        // A throwing listener must not break the session engine's own state transitions.
        try {
          ;(listener as unknown as Listener<typeof args>)(...args)
        } catch (error) {
          onListenerError(error)
        }
      }
    },
  }
}
