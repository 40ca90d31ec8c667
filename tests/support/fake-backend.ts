import { type FakeWx, fail, respond, type WxRequestOptions, type WxResponse } from './fake-wx'

export const API = 'https://api.test'

export interface FakeBackend {
  /** Tokens the backend currently accepts. */
  valid: Set<string>
  logins: number
  /** Every request that reached the backend, with the Authorization header it carried. */
  seen: Array<{ url: string; auth: string | undefined }>
  /** Replace to script the login endpoint (status, body, network failure). */
  login: (options: WxRequestOptions) => WxResponse | 'network-error' | 'hang'
  /** Makes the backend reject every token issued so far (as if they all expired server-side). */
  expireAll(): void
}

/**
 * A tiny backend behind the fake `wx.request`: `POST /auth/login` issues tokens, every other path
 * answers 200 to a known token and 401 otherwise. Answers arrive on a later microtask, like a network.
 */
export function installFakeBackend(wx: FakeWx): FakeBackend {
  const backend: FakeBackend = {
    valid: new Set(),
    logins: 0,
    seen: [],
    login: () => {
      const token = `tok-${++backend.logins}`
      backend.valid.add(token)
      return { statusCode: 200, data: { token, expiresIn: 3600, user: { id: 'u1' } } }
    },
    expireAll() {
      backend.valid.clear()
    },
  }
  const handle = (api: string) => (options: WxRequestOptions) => {
    const auth = options.header?.Authorization
    backend.seen.push({ url: options.url, auth })
    queueMicrotask(() => {
      if (options.url === `${API}/auth/login`) {
        const answer = backend.login(options)
        if (answer === 'hang') return
        if (answer === 'network-error') return fail(options, `${api}:fail network error`)
        return respond(options, answer, api)
      }
      const token = auth?.replace(/^Bearer /, '')
      const ok = token !== undefined && backend.valid.has(token)
      if (!ok) return respond(options, { statusCode: 401, data: { code: 'AUTH_TOKEN_EXPIRED' } }, api)
      if (options.url === `${API}/auth/phone`) {
        return respond(
          options,
          { statusCode: 200, data: { user: { id: 'u1', phoneBound: true, code: (options.data as { code?: string })?.code } } },
          api,
        )
      }
      respond(options, { statusCode: 200, data: { url: options.url, token } }, api)
    })
  }
  wx.handlers.request = handle('request')
  wx.handlers.uploadFile = handle('uploadFile')
  wx.handlers.downloadFile = handle('downloadFile')
  return backend
}
