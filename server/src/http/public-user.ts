import type { UserRecord } from '../store/types.js'

/** What clients may see of a user: no openid, no unionid, no session_key, phone masked. */
export interface PublicUser {
  id: string
  phoneBound: boolean
  /** e.g. `138****8000`; `null` until a phone number is bound. */
  phoneMasked: string | null
  /** ISO 8601. */
  createdAt: string
}

export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(Math.max(0, phone.length - 2)) + phone.slice(-2)
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`
}

export function toPublicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    phoneBound: user.phone !== null,
    phoneMasked: user.phone === null ? null : maskPhone(user.phone),
    createdAt: new Date(user.createdAt).toISOString(),
  }
}
