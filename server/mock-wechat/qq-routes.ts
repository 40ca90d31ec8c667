import type { FastifyInstance } from 'fastify'
import { type MockApp, type MockContext, spendLoginCode, wxError } from './context.js'

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
    const spent = spendLoginCode(context, 'qq', secrets, { appid, secret, code, grantType })
    if ('error' in spent) return spent.error
    const { identity } = spent
    return {
      errcode: 0,
      errmsg: 'ok',
      openid: identity.subject,
      session_key: state.newSessionKey(),
      ...(identity.unionid ? { unionid: identity.unionid } : {}),
    }
  })
}
