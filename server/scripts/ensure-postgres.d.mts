export interface RunningPostgres {
  /** Superuser URL of the `postgres` database (trust authentication, loopback only). */
  url: string
  port: number
  dataDir: string
  /** Starts the server again after `stop()`, on the same port and data. */
  start(): Promise<void>
  /** Fast shutdown; the data stays. */
  stop(): Promise<void>
  /** Stops the server and deletes the cluster. */
  destroy(): Promise<void>
}
export function findPostgresBinDir(): string | null
export function ensurePostgresInstalled(): string
export function startPostgres(options?: { timeoutMs?: number; durable?: boolean }): Promise<RunningPostgres>
