import type { TestProject } from 'vitest/node'
import { startRedis } from '../scripts/ensure-redis.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string
  }
}

// Never skipped: without redis-server the Redis suites must fail loudly, not vanish.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedis()
  project.provide('redisUrl', redis.url)
  return () => redis.stop()
}
