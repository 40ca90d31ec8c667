import type { FastifyInstance } from 'fastify'
import { type MockApp, type MockContext, wxError } from './context.js'

/** Where the QQ routes live on the mock: QQ's path equals WeChat's, so the backend's QQ_API_BASE is `<mock>/qq`. */
export const MOCK_QQ_PREFIX = '/qq'

/** QQ's `GET /sns/jscode2session` on api.q.qq.com: WeChat's query and answer shape, QQ's apps and ids. */
export function registerQq(app: FastifyInstance, context: MockContext, apps: readonly MockApp[]): void {
  const secrets = new Map(apps.map((entry) => [entry.appId, entry.secret]))
  const { state } = context

  app.get<{ Querystring: Record<string, string | undefined> }>(`${MOCK_QQ_PREFIX}/sns/jscode2session`, async (request, reply) => {
    const fault = await context.playFault('qq_jscode2session', reply)
    if (fault === true) return reply
    if (typeof fault === 'object' && fault.errcode !== undefined) return wxError(fault.errcode, `mock fault ${fault.errcode}`)
    const { appid, secret, js_code: code, grant_type: grantType } = request.query
    const expected = appid === undefined ? undefined : secrets.get(appid)
    if (expected === undefined) return wxError(40013, 'invalid appid')
    if (secret !== expected) return wxError(40125, 'invalid appsecret')
    if (grantType !== 'authorization_code') return wxError(40002, 'invalid grant_type')
    const entry = state.usableLoginCode('qq', code, appid ?? '')
    if (!entry) return wxError(40029, 'invalid code')
    if (entry.used) return wxError(40163, 'code been used')
    entry.used = true
    const identity = state.identityOf(entry, appid ?? '')
    return {
      errcode: 0,
      errmsg: 'ok',
      openid: identity.subject,
      session_key: state.newSessionKey(),
      ...(identity.unionid ? { unionid: identity.unionid } : {}),
    }
  })
}
