import { describe, expect, it } from 'vitest'
import { bindPhone } from '../../src/phone'
import { type AuthContext, setActiveContext } from '../../src/vue/auth-context'
import { API, networkCalls, restart, sentOptions, setupUni, type UniHarness } from '../../testkit/harness/uni-harness'

/** bindPhone() works on the installed plugin; here the harness's plugin plays that part. */
function active<H extends UniHarness>(h: H): H {
  setActiveContext(h.auth as AuthContext)
  return h
}

describe('bindPhone(code): never logs in between the button and the bind', () => {
  it('posts the code with the current token and updates the session user', async () => {
    const h = active(await setupUni())
    await h.auth.engine.ensureSession()
    const logins = h.count('login')
    const user = await bindPhone('phone-code-1')
    expect(user).toMatchObject({ phoneBound: true })
    expect(sentOptions(h.wx.calls.of('request').at(-1)!).data).toEqual({ code: 'phone-code-1' })
    expect(h.auth.engine.session?.user).toMatchObject({ phoneBound: true })
    expect(networkCalls(h).at(-1)).toEqual({ url: `${API}/auth/phone`, auth: 'Bearer tok-1' })
    expect(h.count('login')).toBe(logins)
  })

  it('names the AppID the login names, so a backend with several mini-programs binds through this one', async () => {
    const h = active(await setupUni({ target: { appId: 'wx-second-app' } }))
    await h.auth.engine.ensureSession()
    await bindPhone('phone-code-2')
    expect(sentOptions(h.wx.calls.of('request').at(-1)!).data).toEqual({ code: 'phone-code-2', appId: 'wx-second-app' })
  })

  it('after a restart it uses the stored token as is: no checkSession, no login', async () => {
    const first = active(await setupUni())
    await first.auth.engine.ensureSession()
    const app = active(restart(first))
    await bindPhone('c')
    expect(app.count('login')).toBe(0)
    expect(app.count('checkSession')).toBe(0)
    // The bound state survives the next restart too.
    expect(restart(app).auth.engine.session?.user).toMatchObject({ phoneBound: true })
  })

  it('without a session it fails with NOT_AUTHENTICATED instead of logging in', async () => {
    const h = active(await setupUni())
    await expect(bindPhone('c')).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED' })
    expect(h.count('login')).toBe(0)
    expect(h.count('request')).toBe(0)
  })

  it('a 401 on the bind is reported as PHONE_BIND_FAILED, with no relogin and no replay', async () => {
    const h = active(await setupUni())
    await h.auth.engine.ensureSession()
    h.backend.revokeAll()
    await expect(bindPhone('c')).rejects.toMatchObject({ code: 'PHONE_BIND_FAILED' })
    expect(h.count('login')).toBe(1)
    expect(networkCalls(h).filter((r) => r.url.endsWith('/auth/phone'))).toHaveLength(1)
  })

  it('an empty or missing code fails with INVALID_OPTIONS before any request', async () => {
    const h = active(await setupUni())
    await h.auth.engine.ensureSession()
    const requests = h.count('request')
    await expect(bindPhone('')).rejects.toMatchObject({ code: 'INVALID_OPTIONS' })
    await expect(bindPhone(undefined as unknown as string)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' })
    expect(h.count('request')).toBe(requests)
  })

  it('posts to another endpoint when given one, relative to baseUrl', async () => {
    const h = active(await setupUni())
    await h.auth.engine.ensureSession()
    await bindPhone('c', { url: '/auth/phone?v=2' }).catch(() => {})
    expect(networkCalls(h).at(-1)?.url).toBe(`${API}/auth/phone?v=2`)
  })
})
