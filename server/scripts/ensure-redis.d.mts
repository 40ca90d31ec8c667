export interface RunningRedis {
  url: string
  port: number
  stop(): Promise<void>
}
export function ensureRedisInstalled(): void
export function startRedis(options?: { timeoutMs?: number }): Promise<RunningRedis>
