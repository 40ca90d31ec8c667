import { randomUUID } from 'node:crypto'
import type { AuthStore, CachedAccessToken, IdentityRecord, RefreshRotateResult, RefreshTokenRecord, UserRecord } from '@uni-mp-auth/server'

interface RefreshEntry extends RefreshTokenRecord {
  used: boolean
}

/** A team's own store, as small as AuthStore allows: one process, nothing persisted. */
export function memoryStore(): AuthStore {
  const users = new Map<string, UserRecord>()
  const identities = new Map<string, IdentityRecord & { userId: string; sessionKey: string | null }>()
  const keyOf = (identity: { provider: string; appId: string; subject: string }) =>
    `${identity.provider}/${identity.appId}/${identity.subject}`
  const codes = new Set<string>()
  const refresh = new Map<string, RefreshEntry>()
  const revokedFamilies = new Set<string>()
  const locks = new Map<string, string>()
  const accessTokens = new Map<string, CachedAccessToken>()

  return {
    async loginWithIdentity(identity, login) {
      let found = identities.get(keyOf(identity))
      if (!found) {
        const user: UserRecord = { id: randomUUID(), phone: null, createdAt: Date.now() }
        users.set(user.id, user)
        found = { ...identity, unionid: identity.unionid ?? null, createdAt: user.createdAt, userId: user.id, sessionKey: null }
        identities.set(keyOf(identity), found)
      }
      found.sessionKey = identity.sessionKey ?? found.sessionKey
      refresh.set(login.refreshTokenHash, {
        hash: login.refreshTokenHash,
        userId: found.userId,
        familyId: login.familyId,
        expiresAt: login.refreshExpiresAt,
        used: false,
      })
      return users.get(found.userId)!
    },
    async linkIdentity(userId, identity) {
      const found = identities.get(keyOf(identity))
      if (found && found.userId !== userId) throw new Error('IDENTITY_CONFLICT')
      const record = found ?? { ...identity, unionid: identity.unionid ?? null, createdAt: Date.now(), userId, sessionKey: null }
      identities.set(keyOf(identity), record)
      return record
    },
    async unlinkIdentity(userId, provider, appId) {
      const own = [...identities.entries()].filter(([, identity]) => identity.userId === userId)
      const target = own.find(([, identity]) => identity.provider === provider && identity.appId === appId)
      if (!target) return false
      if (own.length === 1) throw new Error('LAST_IDENTITY')
      return identities.delete(target[0])
    },
    async listIdentities(userId) {
      return [...identities.values()].filter((identity) => identity.userId === userId)
    },
    async getSessionKey(identity) {
      return identities.get(keyOf(identity))?.sessionKey ?? null
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
    async getAccessToken(appId) {
      return accessTokens.get(appId) ?? null
    },
    async setAccessToken(appId, value) {
      accessTokens.set(appId, value)
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
