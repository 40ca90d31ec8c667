import type { FastifyInstance } from 'fastify'
import type { MockApp, MockContext } from './context.js'

const douyinError = (errNo: number, tips: string) => ({ err_no: errNo, err_tips: tips, data: null })

/** Douyin's `POST /api/apps/v2/jscode2session`: JSON in, `{ err_no, err_tips, data }` out, errors as HTTP 200. */
export function registerDouyin(app: FastifyInstance, context: MockContext, apps: readonly MockApp[]): void {
  const secrets = new Map(apps.map((entry) => [entry.appId, entry.secret]))
  const { state } = context

  app.post<{ Body: Record<string, unknown> | null }>('/api/apps/v2/jscode2session', async (request, reply) => {
    const fault = await context.playFault('douyin_jscode2session', reply)
    if (fault === true) return reply
    if (typeof fault === 'object' && fault.errcode !== undefined) return douyinError(fault.errcode, `mock fault ${fault.errcode}`)
    const { appid, secret, code } = request.body ?? {}
    const expected = typeof appid === 'string' ? secrets.get(appid) : undefined
    if (expected === undefined) return douyinError(40015, 'bad appid')
    if (secret !== expected) return douyinError(40017, 'bad secret')
    const entry = state.usableLoginCode('toutiao', typeof code === 'string' ? code : undefined, appid as string)
    // Douyin does not tell a used code from a bad one.
    if (!entry || entry.used) return douyinError(40018, 'bad code')
    entry.used = true
    const identity = state.identityOf(entry, appid as string)
    return {
      err_no: 0,
      err_tips: 'success',
      data: {
        session_key: state.newSessionKey(),
        openid: identity.subject,
        anonymous_openid: '',
        unionid: identity.unionid ?? '',
      },
    }
  })
}
