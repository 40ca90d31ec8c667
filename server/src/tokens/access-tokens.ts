import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto'
import { type JWTPayload, errors as joseErrors, jwtVerify, SignJWT } from 'jose'
import { LRUCache } from 'lru-cache'
import { type Clock, systemClock } from '../base/clock.js'
import { HttpAuthError } from '../base/errors.js'

export interface AccessTokensOptions {
  secret: string
  issuer: string
  audience: string
  ttlSeconds: number
  now?: Clock
  /** Adds an `ep` claim so the dev endpoint can expire every token issued so far. @default false */
  revocableForDev?: boolean
  /** How many verified tokens to remember (see `verify`); 0 checks every signature. @default 10000 */
  verifiedCacheSize?: number
}

/** What a valid access token says about its bearer. */
export interface AccessClaims {
  userId: string
  /** The refresh-token family of the login the token came from (`fid` claim): what logout revokes. */
  familyId: string
}

export interface VerifyOptions {
  /**
   * Accept a token up to this many seconds past `exp` (signature, `iss` and `aud` still checked).
   * Only for revocation, where an expired token may still name a family that can be refreshed.
   * @default 0
   */
  expiredGraceSeconds?: number
}

export interface IssuedAccessToken {
  token: string
  /** Seconds until expiry. */
  expiresIn: number
}

// Pinned: never let the token's own header pick the algorithm (no `none`, no RS/HS confusion).
const ALGORITHM = 'HS256'

/**
 * Short-lived stateless JWTs: any instance holding the secret verifies them without a store
 * round trip, which is what lets the backend scale out.
 */
export class AccessTokens {
  private readonly key: KeyObject
  private readonly now: Clock
  // Dev-only generation counter: a token from an older generation counts as expired. A counter
  // rather than a timestamp because `iat` has one-second resolution and a token issued in the
  // same second right after the expiry call must stay valid.
  private epoch = 0
  // A client sends the same token with every request until it expires, and checking its HMAC is
  // the largest cost of an authenticated request: the payload of a token verified once is kept
  // (by the exact token string) and only its expiry is checked again.
  private readonly verified: LRUCache<string, JWTPayload> | null

  constructor(private readonly options: AccessTokensOptions) {
    // A KeyObject once, rather than raw bytes converted on every call. jose stays on 5.x: its Node
    // build verifies HS256 with node:crypto (~17 µs); 6.x goes through WebCrypto (~80-100 µs here).
    this.key = createSecretKey(Buffer.from(options.secret, 'utf8'))
    this.now = options.now ?? systemClock
    const cacheSize = options.verifiedCacheSize ?? 10_000
    this.verified = cacheSize > 0 ? new LRUCache({ max: cacheSize }) : null
  }

  async issue(userId: string, familyId: string): Promise<IssuedAccessToken> {
    const issuedAt = Math.floor(this.now() / 1000)
    const claims = this.options.revocableForDev ? { fid: familyId, ep: this.epoch } : { fid: familyId }
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.options.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.key)
    return { token, expiresIn: this.options.ttlSeconds }
  }

  /** Resolves the claims of a valid token; every other outcome is a 401 HttpAuthError. */
  async verify(token: string, { expiredGraceSeconds = 0 }: VerifyOptions = {}): Promise<AccessClaims> {
    const payload = this.remembered(token, expiredGraceSeconds) ?? (await this.verifySignature(token, expiredGraceSeconds))
    const expiredByDev = this.options.revocableForDev && (typeof payload.ep !== 'number' || payload.ep < this.epoch)
    if (expiredByDev && expiredGraceSeconds === 0) throw new HttpAuthError('AUTH_TOKEN_EXPIRED', 'Access token expired')
    if (!payload.sub || typeof payload.fid !== 'string' || !payload.fid)
      throw new HttpAuthError('AUTH_TOKEN_INVALID', 'Access token invalid')
    return { userId: payload.sub, familyId: payload.fid }
  }

  /** The payload of a token verified before and not expired since, by jose's rule: valid while now < exp + grace. */
  private remembered(token: string, graceSeconds: number): JWTPayload | undefined {
    const payload = this.verified?.get(token)
    if (payload === undefined) return undefined
    return Math.floor(this.now() / 1000) - graceSeconds < (payload.exp as number) ? payload : undefined
  }

  /**
   * jose applies the expiry grace to `nbf` too, so a token not valid before some future time
   * would pass a revocation route and then be remembered for every route. We never set `nbf`:
   * one still in the future is refused outright, grace or not.
   */
  private notYetValid(payload: JWTPayload): boolean {
    return typeof payload.nbf === 'number' && Math.floor(this.now() / 1000) < payload.nbf
  }

  private async verifySignature(token: string, graceSeconds: number): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.options.issuer,
        audience: this.options.audience,
        currentDate: new Date(this.now()),
        // jose applies the tolerance to `exp` and `nbf` (checked strictly below).
        clockTolerance: graceSeconds,
        requiredClaims: ['exp', 'iat', 'sub', 'fid'],
      })
      if (this.notYetValid(payload)) throw new HttpAuthError('AUTH_TOKEN_INVALID', 'Access token not valid yet')
      this.verified?.set(token, payload)
      return payload
    } catch (error) {
      if (error instanceof HttpAuthError) throw error
      if (error instanceof joseErrors.JWTExpired) throw new HttpAuthError('AUTH_TOKEN_EXPIRED', 'Access token expired')
      throw new HttpAuthError('AUTH_TOKEN_INVALID', 'Access token invalid')
    }
  }

  /** Dev only: every token issued before this call is rejected as expired from now on. */
  expireAllIssued(): void {
    this.epoch += 1
  }
}
