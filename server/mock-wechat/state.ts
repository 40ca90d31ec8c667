import { createHash, randomBytes } from 'node:crypto'
import { MOCK_ENDPOINTS, type MockEndpoint } from './faults.js'

export interface LoginCode {
  openid: string
  unionid?: string
  expiresAt: number
  used: boolean
}

export interface PhoneCode {
  phone: string
  expiresAt: number
  used: boolean
}

/** Codes of the form `mock-<name>` or `mock-<name>.<nonce>` need no minting (see README). */
const MOCK_LOGIN_CODE = /^mock-([A-Za-z0-9_]{1,32})(?:\..{0,64})?$/
const MOCK_PHONE_CODE = /^mock-phone-(\d{5,15})$/
export const DEFAULT_MOCK_PHONE = '13800138000'
const STABLE_RENEW_AHEAD_MS = 5 * 60_000

function randomOpenid(): string {
  // Real openids are 28 characters of base64url-ish text starting with "o".
  return `o${randomBytes(20).toString('base64url').slice(0, 27)}`
}

/** Everything the mock remembers; tests read it directly (e.g. every session_key handed out). */
export class MockWechatState {
  readonly loginCodes = new Map<string, LoginCode>()
  readonly phoneCodes = new Map<string, PhoneCode>()
  readonly accessTokens = new Map<string, number>()
  /** Every session_key the mock ever returned: tests assert none of them leaks to a client. */
  readonly issuedSessionKeys = new Set<string>()
  readonly calls: Record<MockEndpoint, number> = Object.fromEntries(MOCK_ENDPOINTS.map((e) => [e, 0])) as Record<MockEndpoint, number>
  private currentStableToken: string | null = null

  constructor(
    private readonly now: () => number,
    private readonly codeTtlMs: number,
    private readonly tokenTtlSeconds: number,
  ) {}

  mintLoginCode(identity: { openid?: string; unionid?: string }): { code: string; openid: string; unionid?: string } {
    const code = `dev-${randomBytes(16).toString('hex')}`
    const openid = identity.openid ?? randomOpenid()
    this.loginCodes.set(code, { openid, unionid: identity.unionid, expiresAt: this.now() + this.codeTtlMs, used: false })
    return { code, openid, ...(identity.unionid ? { unionid: identity.unionid } : {}) }
  }

  mintPhoneCode(phone: string = DEFAULT_MOCK_PHONE): string {
    const code = `devphone-${randomBytes(16).toString('hex')}`
    this.phoneCodes.set(code, { phone, expiresAt: this.now() + this.codeTtlMs, used: false })
    return code
  }

  /** Looks a login code up, registering `mock-…` codes on first sight. */
  findLoginCode(code: string): LoginCode | undefined {
    const known = this.loginCodes.get(code)
    if (known) return known
    const match = MOCK_LOGIN_CODE.exec(code)
    if (!match) return undefined
    const openid = `o_mock_${createHash('sha256')
      .update(match[1] ?? '')
      .digest('base64url')
      .slice(0, 20)}`
    const entry: LoginCode = { openid, expiresAt: this.now() + this.codeTtlMs, used: false }
    this.loginCodes.set(code, entry)
    return entry
  }

  findPhoneCode(code: string): PhoneCode | undefined {
    const known = this.phoneCodes.get(code)
    if (known) return known
    if (!code.startsWith('mock-')) return undefined
    const entry: PhoneCode = {
      phone: MOCK_PHONE_CODE.exec(code)?.[1] ?? DEFAULT_MOCK_PHONE,
      expiresAt: this.now() + this.codeTtlMs,
      used: false,
    }
    this.phoneCodes.set(code, entry)
    return entry
  }

  newSessionKey(): string {
    const key = randomBytes(16).toString('base64')
    this.issuedSessionKeys.add(key)
    return key
  }

  /** GET /cgi-bin/token semantics: always a new token. */
  issueAccessToken(): { access_token: string; expires_in: number } {
    const token = `mock-at-${randomBytes(24).toString('hex')}`
    this.accessTokens.set(token, this.now() + this.tokenTtlSeconds * 1000)
    return { access_token: token, expires_in: this.tokenTtlSeconds }
  }

  /**
   * stable_token semantics: the same token until it is forced or has at most 5 minutes left
   * (WeChat renews it that far ahead of expiry in its normal mode).
   */
  stableAccessToken(forceRefresh: boolean): { access_token: string; expires_in: number } {
    const current = this.currentStableToken
    const expiresAt = current ? this.accessTokens.get(current) : undefined
    if (!forceRefresh && current && expiresAt !== undefined && expiresAt - STABLE_RENEW_AHEAD_MS > this.now()) {
      return { access_token: current, expires_in: Math.floor((expiresAt - this.now()) / 1000) }
    }
    const issued = this.issueAccessToken()
    this.currentStableToken = issued.access_token
    return issued
  }

  isAccessTokenValid(token: string): boolean {
    const expiresAt = this.accessTokens.get(token)
    return expiresAt !== undefined && expiresAt > this.now()
  }

  resetStats(): void {
    for (const endpoint of MOCK_ENDPOINTS) this.calls[endpoint] = 0
  }
}
