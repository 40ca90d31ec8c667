import { createHash, randomBytes } from 'node:crypto'
import { MOCK_ENDPOINTS, type MockEndpoint } from './faults.js'

/** Whose codes: each vendor keeps its own codes, so one code string may exist at several vendors. */
export type MockVendor = 'weixin' | 'alipay' | 'toutiao' | 'qq'

export interface LoginCode {
  vendor: MockVendor
  /** Set when the code was issued for one app (the authorize page); otherwise any app of the vendor takes it. */
  appId?: string
  /** A fixed identity (minted with one) … */
  openid?: string
  unionid?: string
  /** … or one derived per app from this name (`mock-<name>` codes, the authorize page's user). */
  name?: string
  expiresAt: number
  used: boolean
}

/** The identity a code stands for at one app. */
export interface MockIdentity {
  subject: string
  unionid?: string
}

export interface PhoneCode {
  phone: string
  /** Set when the code was issued inside one mini-program: only that app's access_token can read it. */
  appId?: string
  expiresAt: number
  used: boolean
}

/** Codes of the form `mock-<name>` or `mock-<name>.<nonce>` need no minting (see README). */
const MOCK_LOGIN_CODE = /^mock-([A-Za-z0-9_]{1,32})(?:\..{0,64})?$/
const MOCK_PHONE_CODE = /^mock-phone-(\d{5,15})$/
export const DEFAULT_MOCK_PHONE = '13800138000'
const STABLE_RENEW_AHEAD_MS = 5 * 60_000

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 20)
}

const SUBJECT_PREFIX: Record<MockVendor, string> = { weixin: 'o_mock_', alipay: 'mock_alipay_', toutiao: 'mock_tt_', qq: 'mock_qq_' }

function randomOpenid(): string {
  // Real openids are 28 characters of base64url-ish text starting with "o".
  return `o${randomBytes(20).toString('base64url').slice(0, 27)}`
}

/** Everything the mock remembers; tests read it directly (e.g. every session_key handed out). */
export class MockWechatState {
  readonly loginCodes = new Map<string, LoginCode>()
  readonly phoneCodes = new Map<string, PhoneCode>()
  /** Every access_token issued, with the app it belongs to and when it expires. */
  readonly accessTokens = new Map<string, { appId: string; expiresAt: number }>()
  /** Every session_key the mock ever returned: tests assert none of them leaks to a client. */
  readonly issuedSessionKeys = new Set<string>()
  readonly calls: Record<MockEndpoint, number> = Object.fromEntries(MOCK_ENDPOINTS.map((e) => [e, 0])) as Record<MockEndpoint, number>
  /** stable_token's current token per app. */
  private readonly stableTokens = new Map<string, string>()

  constructor(
    private readonly now: () => number,
    private readonly codeTtlMs: number,
    private readonly tokenTtlSeconds: number,
    /** Codes of one name answer one unionid across a vendor's apps (apps bound to one open-platform account). */
    private readonly sharedUnionid = false,
  ) {}

  /** A fresh code for `vendor` (default WeChat) with a fixed identity, for any of the vendor's apps unless `appId` is given. */
  mintLoginCode(identity: { openid?: string; unionid?: string; vendor?: MockVendor; appId?: string }): {
    code: string
    openid: string
    unionid?: string
  } {
    const vendor = identity.vendor ?? 'weixin'
    const code = `dev-${randomBytes(16).toString('hex')}`
    const openid = identity.openid ?? randomOpenid()
    this.loginCodes.set(`${vendor}:${code}`, {
      vendor,
      ...(identity.appId ? { appId: identity.appId } : {}),
      openid,
      unionid: identity.unionid,
      expiresAt: this.now() + this.codeTtlMs,
      used: false,
    })
    return { code, openid, ...(identity.unionid ? { unionid: identity.unionid } : {}) }
  }

  /** A code for one app and a named user, as the mock authorize page issues it. */
  mintNamedCode(vendor: MockVendor, appId: string, name: string): string {
    const code = `${vendor === 'weixin' ? 'oauth' : vendor}-${randomBytes(16).toString('hex')}`
    this.loginCodes.set(`${vendor}:${code}`, { vendor, appId, name, expiresAt: this.now() + this.codeTtlMs, used: false })
    return code
  }

  /** Who a code stands for at `appId`: named users get a subject per app, and a unionid shared across apps when asked for. */
  identityOf(entry: LoginCode, appId: string): MockIdentity {
    if (entry.openid !== undefined) return { subject: entry.openid, ...(entry.unionid ? { unionid: entry.unionid } : {}) }
    const name = entry.name ?? ''
    return {
      subject: `${SUBJECT_PREFIX[entry.vendor]}${digest(`${appId}/${name}`)}`,
      ...(this.sharedUnionid ? { unionid: `u_mock_${digest(`${entry.vendor}/${name}`)}` } : {}),
    }
  }

  /**
   * The code's entry if `appId` may spend it now: unknown, expired, or issued for another app all
   * read as invalid (`undefined`); a spent one is returned with `used` set, for the vendor's own error.
   */
  usableLoginCode(vendor: MockVendor, code: string | undefined, appId: string): LoginCode | undefined {
    const entry = code ? this.findLoginCode(code, vendor, appId) : undefined
    if (!entry || entry.expiresAt <= this.now()) return undefined
    if (entry.appId !== undefined && entry.appId !== appId) return undefined
    return entry
  }

  /** A getPhoneNumber code; with `appId`, one of that mini-program (as WeChat issues them), else any app's. */
  mintPhoneCode(phone: string = DEFAULT_MOCK_PHONE, appId?: string): string {
    const code = `devphone-${randomBytes(16).toString('hex')}`
    this.phoneCodes.set(code, { phone, ...(appId ? { appId } : {}), expiresAt: this.now() + this.codeTtlMs, used: false })
    return code
  }

  /**
   * Looks a login code up, registering `mock-…` codes on first sight. An invented code is one
   * code per app (as if each app's user had produced it), so equal strings at two apps are two codes.
   */
  findLoginCode(code: string, vendor: MockVendor = 'weixin', appId = ''): LoginCode | undefined {
    const known = this.loginCodes.get(`${vendor}:${code}`)
    if (known) return known
    const match = MOCK_LOGIN_CODE.exec(code)
    if (!match) return undefined
    const key = `${vendor}:${appId}:${code}`
    const invented = this.loginCodes.get(key)
    if (invented) return invented
    const entry: LoginCode = { vendor, appId, name: match[1] ?? '', expiresAt: this.now() + this.codeTtlMs, used: false }
    this.loginCodes.set(key, entry)
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

  /** GET /cgi-bin/token semantics: always a new token of the app. */
  issueAccessToken(appId: string): { access_token: string; expires_in: number } {
    const token = `mock-at-${randomBytes(24).toString('hex')}`
    this.accessTokens.set(token, { appId, expiresAt: this.now() + this.tokenTtlSeconds * 1000 })
    return { access_token: token, expires_in: this.tokenTtlSeconds }
  }

  /**
   * stable_token semantics: the same token until it is forced or has at most 5 minutes left
   * (WeChat renews it that far ahead of expiry in its normal mode).
   */
  stableAccessToken(appId: string, forceRefresh: boolean): { access_token: string; expires_in: number } {
    const current = this.stableTokens.get(appId)
    const expiresAt = current ? this.accessTokens.get(current)?.expiresAt : undefined
    if (!forceRefresh && current && expiresAt !== undefined && expiresAt - STABLE_RENEW_AHEAD_MS > this.now()) {
      return { access_token: current, expires_in: Math.floor((expiresAt - this.now()) / 1000) }
    }
    const issued = this.issueAccessToken(appId)
    this.stableTokens.set(appId, issued.access_token)
    return issued
  }

  /** The app a live access_token belongs to; `undefined` for an unknown or expired one. */
  accessTokenApp(token: string): string | undefined {
    const entry = this.accessTokens.get(token)
    return entry && entry.expiresAt > this.now() ? entry.appId : undefined
  }

  resetStats(): void {
    for (const endpoint of MOCK_ENDPOINTS) this.calls[endpoint] = 0
  }
}
