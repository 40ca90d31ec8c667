import { Redis } from 'ioredis'

/**
 * The one Redis client of an instance (`REDIS_URL`), for data that may be lost (rate-limit
 * counters). Commands fail fast while Redis is away instead of queueing for minutes: the callers
 * treat a failure as "no data" (rate limits open, readiness reports it).
 */
export function createRedisClient(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 2000 })
}
