import { randomUUID } from 'node:crypto'
import type { AuthStore, CachedAccessToken, RefreshRotateResult, RefreshTokenRecord, UserRecord, WechatIdentity } from '@uni-mp-auth/server'

interface RefreshEntry extends RefreshTokenRecord {
  used: boolean
}

/** A team's own store, as small as AuthStore allows: one process, nothing persisted. */
export function memoryStore(): AuthStore {
  const users = new Map<string, UserRecord>()
  const sessionKeys = new Map<string, string>()
  const codes = new Set<string>()
  const refresh = new Map<string, RefreshEntry>()
  const revokedFamilies = new Set<string>()
  const locks = new Map<string, string>()
  let accessToken: CachedAccessToken | null = null

  return {
    async upsertUser({ openid, unionid }: WechatIdentity) {
      const found = [...users.values()].find((u) => (unionid && u.unionid === unionid) || u.openid === openid)
      if (found) return found
      const user: UserRecord = { id: randomUUID(), openid, unionid: unionid ?? null, phone: null, createdAt: Date.now() }
      users.set(user.id, user)
      return user
    },
    async getUserById(id) {
      return users.get(id) ?? null
    },
    async setUserPhone(id, phone) {
      const user = users.get(id)
      if (!user) return null
      user.phone = phone
      return user
    },
    async saveSessionKey(openid, sessionKey) {
      sessionKeys.set(openid, sessionKey)
    },
    async getSessionKey(openid) {
      return sessionKeys.get(openid) ?? null
    },
    async claimCode(code) {
      if (codes.has(code)) return false
      codes.add(code)
      return true
    },
    async saveRefreshToken(record) {
      refresh.set(record.hash, { ...record, used: false })
    },
    // One synchronous step: spent and replaced together. No grace window in this small store.
    async rotateRefreshToken(hash, successor): Promise<RefreshRotateResult> {
      const entry = refresh.get(hash)
      if (!entry || revokedFamilies.has(entry.familyId) || entry.expiresAt <= Date.now()) return { status: 'invalid' }
      if (entry.used) {
        revokedFamilies.add(entry.familyId)
        return { status: 'reused', userId: entry.userId, familyId: entry.familyId }
      }
      entry.used = true
      refresh.set(successor.hash, { ...successor, userId: entry.userId, familyId: entry.familyId, used: false })
      const user = users.get(entry.userId) ?? null
      return { status: 'ok', userId: entry.userId, user, familyId: entry.familyId, retried: false }
    },
    async revokeRefreshFamilyOf(hash) {
      const entry = refresh.get(hash)
      if (entry) revokedFamilies.add(entry.familyId)
    },
    async revokeFamily(familyId) {
      revokedFamilies.add(familyId)
    },
    async revokeAllFamiliesOfUser(userId) {
      for (const entry of refresh.values()) if (entry.userId === userId) revokedFamilies.add(entry.familyId)
    },
    async getAccessToken() {
      return accessToken
    },
    async setAccessToken(value) {
      accessToken = value
    },
    async acquireLock(name) {
      if (locks.has(name)) return null
      const owner = randomUUID()
      locks.set(name, owner)
      return owner
    },
    async releaseLock(name, owner) {
      if (locks.get(name) === owner) locks.delete(name)
    },
    async ping() {},
    async close() {},
  }
}
