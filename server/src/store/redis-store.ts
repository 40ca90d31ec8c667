import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { type Clock, systemClock } from '../clock.js'
import { sha256Hex } from './hash.js'
import type { AuthStore, CachedAccessToken, RefreshConsumeResult, RefreshTokenRecord, UserRecord, WechatIdentity } from './types.js'

// Marks a refresh token used and returns what we need in one round trip, so two instances
// racing on the same token cannot both see it unused.
const CONSUME_REFRESH_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local uses = redis.call('HINCRBY', KEYS[1], 'uses', 1)
local f = redis.call('HMGET', KEYS[1], 'userId', 'familyId', 'expiresAt')
return { uses, f[1], f[2], f[3] }
`

// Deletes the lock only when we still own it; a plain DEL could free a lock that expired
// and was taken by another instance meanwhile.
const RELEASE_LOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`

export interface RedisStoreOptions {
  url: string
  /** Prefix of every key, so several apps (or test runs) can share one Redis. @default 'uma:' */
  keyPrefix?: string
  now?: Clock
  /** How long a revoked family is remembered; must cover the refresh-token lifetime. */
  refreshTtlMs?: number
}

function toUser(id: string, hash: Record<string, string>): UserRecord | null {
  if (!hash.openid || !hash.createdAt) return null
  return {
    id,
    openid: hash.openid,
    unionid: hash.unionid || null,
    phone: hash.phone || null,
    createdAt: Number(hash.createdAt),
  }
}

/** Store for several backend instances: every guard is a single atomic Redis command or script. */
export class RedisStore implements AuthStore {
  private readonly redis: Redis
  private readonly now: Clock
  private readonly familyTtlMs: number

  constructor({ url, keyPrefix = 'uma:', now = systemClock, refreshTtlMs = 30 * 24 * 3600 * 1000 }: RedisStoreOptions) {
    this.redis = new Redis(url, { keyPrefix, lazyConnect: false, maxRetriesPerRequest: 2 })
    this.now = now
    this.familyTtlMs = refreshTtlMs
  }

  private async userIdFor({ openid, unionid }: WechatIdentity): Promise<string | null> {
    if (unionid) {
      const byUnion = await this.redis.get(`uid:union:${unionid}`)
      if (byUnion) return byUnion
    }
    return this.redis.get(`uid:open:${openid}`)
  }

  async upsertUser(identity: WechatIdentity): Promise<UserRecord> {
    const { openid, unionid } = identity
    const existingId = await this.userIdFor(identity)
    if (existingId) {
      const user = await this.getUserById(existingId)
      if (user) {
        if (unionid && !user.unionid && (await this.redis.set(`uid:union:${unionid}`, user.id, 'NX')) === 'OK') {
          await this.redis.hset(`user:${user.id}`, 'unionid', unionid)
          return { ...user, unionid }
        }
        return user
      }
    }
    // Write the record first, then claim the index with SET NX: the loser of a race between
    // two instances deletes its record and returns the winner's, so one identity = one user.
    const id = randomUUID()
    const createdAt = this.now()
    await this.redis.hset(`user:${id}`, { openid, unionid: unionid ?? '', phone: '', createdAt: String(createdAt) })
    const claimed = await this.redis.set(`uid:open:${openid}`, id, 'NX')
    if (claimed !== 'OK') {
      await this.redis.del(`user:${id}`)
      const winner = await this.redis.get(`uid:open:${openid}`)
      const user = winner ? await this.getUserById(winner) : null
      if (!user) throw new Error('User index points to a missing user record')
      return user
    }
    if (unionid) await this.redis.set(`uid:union:${unionid}`, id, 'NX')
    return { id, openid, unionid: unionid ?? null, phone: null, createdAt }
  }

  async getUserById(id: string): Promise<UserRecord | null> {
    return toUser(id, await this.redis.hgetall(`user:${id}`))
  }

  async setUserPhone(id: string, phone: string): Promise<UserRecord | null> {
    if (!(await this.redis.exists(`user:${id}`))) return null
    await this.redis.hset(`user:${id}`, 'phone', phone)
    return this.getUserById(id)
  }

  async saveSessionKey(openid: string, sessionKey: string): Promise<void> {
    await this.redis.set(`sk:${openid}`, sessionKey)
  }

  async getSessionKey(openid: string): Promise<string | null> {
    return this.redis.get(`sk:${openid}`)
  }

  async claimCode(code: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`code:${sha256Hex(code)}`, '1', 'PX', ttlMs, 'NX')) === 'OK'
  }

  async saveRefreshToken(record: RefreshTokenRecord): Promise<void> {
    const key = `rt:${record.hash}`
    // Kept past expiry for as long as families are remembered, so reuse is still detected.
    const keepMs = Math.max(1, record.expiresAt - this.now()) + this.familyTtlMs
    await this.redis
      .multi()
      .hset(key, {
        userId: record.userId,
        familyId: record.familyId,
        expiresAt: String(record.expiresAt),
        uses: '0',
      })
      .pexpire(key, keepMs)
      // The user's families, for "log out everywhere"; lives as long as its newest token.
      .sadd(`rtuser:${record.userId}`, record.familyId)
      .pexpire(`rtuser:${record.userId}`, keepMs)
      .exec()
  }

  async consumeRefreshToken(hash: string): Promise<RefreshConsumeResult> {
    const result = (await this.redis.eval(CONSUME_REFRESH_LUA, 1, `rt:${hash}`)) as
      | [number, string | null, string | null, string | null]
      | null
    if (!result) return { status: 'invalid' }
    const [uses, userId, familyId, expiresAt] = result
    if (!userId || !familyId || !expiresAt) return { status: 'invalid' }
    if (await this.redis.exists(`rtfam:${familyId}`)) return { status: 'invalid' }
    if (uses > 1) {
      await this.revokeFamily(familyId)
      return { status: 'reused', userId, familyId }
    }
    if (Number(expiresAt) <= this.now()) return { status: 'invalid' }
    return { status: 'ok', userId, familyId }
  }

  async revokeRefreshFamilyOf(hash: string): Promise<void> {
    const familyId = await this.redis.hget(`rt:${hash}`, 'familyId')
    if (familyId) await this.revokeFamily(familyId)
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.redis.set(`rtfam:${familyId}`, 'revoked', 'PX', this.familyTtlMs)
  }

  async revokeAllFamiliesOfUser(userId: string): Promise<void> {
    const families = await this.redis.smembers(`rtuser:${userId}`)
    if (families.length === 0) return
    const batch = this.redis.multi()
    for (const familyId of families) batch.set(`rtfam:${familyId}`, 'revoked', 'PX', this.familyTtlMs)
    await batch.exec()
  }

  async getAccessToken(): Promise<CachedAccessToken | null> {
    const raw = await this.redis.get('wx:access_token')
    return raw ? (JSON.parse(raw) as CachedAccessToken) : null
  }

  async setAccessToken(value: CachedAccessToken): Promise<void> {
    await this.redis.set('wx:access_token', JSON.stringify(value))
  }

  async acquireLock(name: string, ttlMs: number): Promise<string | null> {
    const owner = randomUUID()
    return (await this.redis.set(`lock:${name}`, owner, 'PX', ttlMs, 'NX')) === 'OK' ? owner : null
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE_LOCK_LUA, 1, `lock:${name}`, owner)
  }

  async ping(): Promise<void> {
    await this.redis.ping()
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect())
  }
}
