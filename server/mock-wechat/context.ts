import type { FastifyReply } from 'fastify'
import type { Fault, MockEndpoint } from './faults.js'
import type { MockWechatState } from './state.js'

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
