import type { Redis } from 'ioredis'
import { LRUCache } from 'lru-cache'

/** A bucket of `capacity` tokens per key, refilled continuously at `capacity` per `refillMs`. */
export interface TokenBucketRule {
  capacity: number
  refillMs: number
}

/** `taken`, or how long until the next token. */
export type TakeResult = { taken: true } | { taken: false; retryInMs: number }

/** Token buckets per key. Implementations never throw: counters are data that may be lost. */
export interface TokenBuckets {
  take(key: string): Promise<TakeResult>
  /** Gives one token back (capped at capacity): the call it paid for cost nothing after all. */
  refund(key: string): Promise<void>
}

interface Bucket {
  tokens: number
  at: number
}

/** The refill since `at`, capped at capacity. */
function refilled(bucket: Bucket, rule: TokenBucketRule, now: number): number {
  return Math.min(rule.capacity, bucket.tokens + ((now - bucket.at) * rule.capacity) / rule.refillMs)
}

function untilNextToken(tokens: number, rule: TokenBucketRule): number {
  return Math.ceil(((1 - tokens) * rule.refillMs) / rule.capacity)
}

/** One instance's buckets, in memory; keys of idle addresses fall out once full again or past 10,000 keys. */
export class MemoryTokenBuckets implements TokenBuckets {
  private readonly buckets: LRUCache<string, Bucket>

  constructor(
    private readonly rule: TokenBucketRule,
    private readonly now: () => number = Date.now,
  ) {
    // A bucket left alone for refillMs is full again: forgetting it then changes nothing.
    this.buckets = new LRUCache({ max: 10_000, ttl: rule.refillMs })
  }

  async take(key: string): Promise<TakeResult> {
    const now = this.now()
    const bucket = this.buckets.get(key)
    const tokens = bucket ? refilled(bucket, this.rule, now) : this.rule.capacity
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now })
      return { taken: true }
    }
    return { taken: false, retryInMs: untilNextToken(tokens, this.rule) }
  }

  async refund(key: string): Promise<void> {
    const bucket = this.buckets.get(key)
    if (!bucket) return
    const now = this.now()
    this.buckets.set(key, { tokens: Math.min(this.rule.capacity, refilled(bucket, this.rule, now) + 1), at: now })
  }
}

// KEYS[1] the bucket; ARGV capacity, refillMs, delta (-1 take, +1 refund). Redis' own clock, so
// every instance sees one time. Replies { taken (0/1), ms until the next token }.
const SCRIPT = `
local capacity = tonumber(ARGV[1])
local refill_ms = tonumber(ARGV[2])
local delta = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - at) * capacity / refill_ms)
if delta < 0 and tokens < 1 then
  return { 0, math.ceil((1 - tokens) * refill_ms / capacity) }
end
tokens = math.min(capacity, tokens + delta)
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], refill_ms)
return { 1, 0 }
`

/** Buckets shared by every instance through Redis (one Lua script per call, so atomic). */
export class RedisTokenBuckets implements TokenBuckets {
  constructor(
    private readonly redis: Redis,
    private readonly rule: TokenBucketRule,
    private readonly prefix = 'uma:lb:',
  ) {}

  private async run(key: string, delta: number): Promise<TakeResult> {
    try {
      const [taken, retryInMs] = (await this.redis.eval(SCRIPT, 1, this.prefix + key, this.rule.capacity, this.rule.refillMs, delta)) as [
        number,
        number,
      ]
      return taken === 1 ? { taken: true } : { taken: false, retryInMs }
    } catch {
      // An unreachable Redis must not stop logins: the limit opens.
      return { taken: true }
    }
  }

  take(key: string): Promise<TakeResult> {
    return this.run(key, -1)
  }

  async refund(key: string): Promise<void> {
    await this.run(key, 1)
  }
}
