import type { FastifyReply } from 'fastify'
import type { Fault, MockEndpoint } from './faults.js'
import type { MockIdentity, MockVendor, MockWechatState } from './state.js'

export interface MockApp {
  appId: string
  secret: string
}

/** What every vendor's routes share: the state, the clock and the fault switchboard. */
export interface MockContext {
  state: MockWechatState
  now: () => number
  codeTtlMs: number
  /** WeChat apps of every kind (mini-program, official account, website, mobile app), by AppID. */
  wechatApps: ReadonlyMap<string, string>
  /**
   * Counts the call and plays an armed fault; resolves the fault when it is a vendor error for
   * the route to answer, `true` when the fault already answered, `false` when there is none.
   */
  playFault(endpoint: MockEndpoint, reply: FastifyReply): Promise<Fault | boolean>
}

export const wxError = (errcode: number, errmsg: string) => ({ errcode, errmsg })

/** WeChat's check of appid + secret, shared by every WeChat endpoint that takes both. */
export function wechatCredentialError(context: MockContext, appId: unknown, secret: unknown) {
  const expected = typeof appId === 'string' ? context.wechatApps.get(appId) : undefined
  if (expected === undefined) return wxError(40013, 'invalid appid')
  if (secret !== expected) return wxError(40125, 'invalid appsecret')
  return undefined
}

/** A `jscode2session`-shaped query: WeChat's, and QQ's, which copies it. */
export interface CodeQuery {
  appid?: string
  secret?: string
  code?: string
  grantType?: string
}

/**
 * The checks of a `jscode2session`-shaped exchange, in WeChat's order (credentials, grant type, the
 * code unknown or used); a usable code is spent. Answers the code's identity or the vendor's error body.
 */
export function spendLoginCode(
  context: MockContext,
  vendor: MockVendor,
  secrets: ReadonlyMap<string, string>,
  { appid, secret, code, grantType }: CodeQuery,
): { identity: MockIdentity } | { error: ReturnType<typeof wxError> } {
  const expected = appid === undefined ? undefined : secrets.get(appid)
  if (appid === undefined || expected === undefined) return { error: wxError(40013, 'invalid appid') }
  if (secret !== expected) return { error: wxError(40125, 'invalid appsecret') }
  if (grantType !== 'authorization_code') return { error: wxError(40002, 'invalid grant_type') }
  const entry = context.state.usableLoginCode(vendor, code, appid)
  if (!entry) return { error: wxError(40029, 'invalid code') }
  if (entry.used) return { error: wxError(40163, 'code been used') }
  entry.used = true
  return { identity: context.state.identityOf(entry, appid) }
}
