import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { type MockContext, spendLoginCode } from './context.js'

type Query = Record<string, string | undefined>

const USER_COOKIE = 'mock_wechat_user'
const USER_NAME = /^[A-Za-z0-9_]{1,32}$/
const SCOPES: Record<string, readonly string[]> = {
  '/connect/oauth2/authorize': ['snsapi_base', 'snsapi_userinfo'],
  '/connect/qrconnect': ['snsapi_login'],
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char)

function cookieUser(header: string | undefined): string | undefined {
  const match = header?.match(new RegExp(`(?:^|;\\s*)${USER_COOKIE}=([^;]+)`))
  return match?.[1] && USER_NAME.test(match[1]) ? match[1] : undefined
}

function errorPage(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .status(400)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><title>WeChat OAuth error</title><p>${escapeHtml(message)}</p>`)
}

/** A dev picker: one link per sample user plus a free name, each back to this URL with `mock_user`. */
function pickerPage(reply: FastifyReply, url: string): FastifyReply {
  const link = (name: string) => {
    const target = new URL(url, 'http://mock.invalid')
    target.searchParams.set('mock_user', name)
    return `<li><a href="${escapeHtml(target.pathname + target.search)}">${name}</a></li>`
  }
  const hidden = [...new URL(url, 'http://mock.invalid').searchParams]
    .filter(([key]) => key !== 'mock_user')
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
    .join('')
  return reply
    .type('text/html; charset=utf-8')
    .send(
      '<!doctype html><meta name="viewport" content="width=device-width"><title>Mock WeChat authorization</title>' +
        `<h1>Log in as</h1><ul>${['alice', 'bob', 'carol'].map(link).join('')}</ul>` +
        `<form method="get">${hidden}<input name="mock_user" pattern="[A-Za-z0-9_]{1,32}" placeholder="name"><button>Continue</button></form>`,
    )
}

/**
 * WeChat web OAuth: the authorize page (official account, `snsapi_base`) and the website QR page
 * (`snsapi_login`) send the browser back to `redirect_uri` with `code` and `state`; the backend
 * trades the code at `sns/oauth2/access_token`. The user is chosen with `mock_user=<name>`, a
 * cookie remembering the last choice, `oauthDefaultUser`, or a picker page.
 */
export function registerWechatOAuth(app: FastifyInstance, context: MockContext, options: { defaultUser?: string | undefined }): void {
  const { state } = context

  for (const path of Object.keys(SCOPES)) {
    app.get<{ Querystring: Query }>(path, async (request, reply) => {
      const { appid, redirect_uri: redirectUri, response_type: responseType, scope, state: oauthState, mock_user: asked } = request.query
      if (!appid || !context.wechatApps.has(appid)) return errorPage(reply, 'appid 参数错误 (unknown appid)')
      if (responseType !== 'code') return errorPage(reply, 'response_type must be code')
      if (!scope || !SCOPES[path]?.includes(scope)) return errorPage(reply, `scope must be one of ${SCOPES[path]?.join(', ')}`)
      let target: URL
      try {
        target = new URL(redirectUri ?? '')
      } catch {
        return errorPage(reply, 'redirect_uri 参数错误 (not an absolute URL)')
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') return errorPage(reply, 'redirect_uri must be http(s)')
      if (asked !== undefined && !USER_NAME.test(asked)) return errorPage(reply, 'mock_user must be 1-32 letters, digits or _')
      const user = asked ?? cookieUser(request.headers.cookie) ?? options.defaultUser
      if (!user) return pickerPage(reply, request.url)
      target.searchParams.set('code', state.mintNamedCode('weixin', appid, user))
      if (oauthState !== undefined) target.searchParams.set('state', oauthState)
      void reply.header('set-cookie', `${USER_COOKIE}=${user}; Path=/; SameSite=Lax`)
      return reply.redirect(target.toString(), 302)
    })
  }

  app.get<{ Querystring: Query }>('/sns/oauth2/access_token', async (request, reply) => {
    if (await context.playFault('oauth2_access_token', reply)) return reply
    const { appid, secret, code, grant_type: grantType } = request.query
    const spent = spendLoginCode(context, 'weixin', context.wechatApps, { appid, secret, code, grantType })
    if ('error' in spent) return spent.error
    const { identity } = spent
    return {
      access_token: `mock-user-at-${randomBytes(12).toString('hex')}`,
      expires_in: 7200,
      refresh_token: `mock-user-rt-${randomBytes(12).toString('hex')}`,
      openid: identity.subject,
      scope: 'snsapi_base',
      ...(identity.unionid ? { unionid: identity.unionid } : {}),
    }
  })
}
