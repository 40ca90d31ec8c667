import type { Redis } from 'ioredis'
import type { AuthStore } from '../store/types.js'

export type Dependency = 'store' | 'redis'

export interface Readiness {
  ready: boolean
  /** The dependencies that did not answer in time. */
  failing: Dependency[]
}

/** Rejects when `work` has not settled after `ms`; a probe must answer even when a dependency hangs. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  try {
    await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Pings the store and, when configured, Redis, in parallel, each bounded by `timeoutMs`. */
export async function checkReadiness(deps: { store: AuthStore; redis: Redis | null }, timeoutMs: number): Promise<Readiness> {
  const probes: Array<[Dependency, () => Promise<unknown>]> = [['store', () => deps.store.ping()]]
  const redis = deps.redis
  if (redis) probes.push(['redis', () => redis.ping()])
  const results = await Promise.allSettled(probes.map(([, probe]) => within(probe(), timeoutMs)))
  const failing = probes.filter((_, index) => results[index]?.status === 'rejected').map(([name]) => name)
  return { ready: failing.length === 0, failing }
}
