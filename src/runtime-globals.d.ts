/**
 * The few host globals the plugin uses, declared by hand so the library build compiles without the
 * DOM lib: mini-program runtimes lack most of the DOM (no URLSearchParams, no window), and the
 * library build must fail if the code starts to rely on it.
 */
declare const console: { debug(...args: unknown[]): void; error(...args: unknown[]): void }
declare function setTimeout(callback: () => void, ms: number): unknown
declare function clearTimeout(handle: unknown): void
