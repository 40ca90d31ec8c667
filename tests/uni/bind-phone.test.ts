import { describe, expect, it } from 'vitest'
import { API } from '../support/fake-backend'
import { restart, setupUni } from '../support/uni-harness'

describe('bindPhone(code): never logs in between the button and the bind', () => {
  it('posts the code with the current token and updates the session user', async () => {
    const h = await setupUni({ phoneUrl: '/auth/phone' })
    await h.auth.engine.ensureSession()
    const logins = h.count('login')
    const user = await h.auth.bindPhone('phone-code-1')
    expect(user).toMatchObject({ phoneBound: true, code: 'phone-code-1' })
    expect(h.auth.engine.session?.user).toMatchObject({ phoneBound: true })
    expect(h.backend.seen.at(-1)).toEqual({ url: `${API}/auth/phone`, auth: 'Bearer tok-1' })
    expect(h.count('login')).toBe(logins)
  })

  it('after a restart it uses the stored token as is: no checkSession, no login', async () => {
    const first = await setupUni({ phoneUrl: '/auth/phone' })
    await first.auth.engine.ensureSession()
    const app = restart(first, { phoneUrl: '/auth/phone' })
    await app.auth.bindPhone('c')
    expect(app.count('login')).toBe(0)
    expect(app.count('checkSession')).toBe(0)
    // The bound state survives the next restart too.
    expect(restart(app).auth.engine.session?.user).toMatchObject({ phoneBound: true })
  })

  it('without a session it fails with NOT_AUTHENTICATED instead of logging in', async () => {
    const h = await setupUni({ phoneUrl: '/auth/phone' })
    await expect(h.auth.bindPhone('c')).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED' })
    expect(h.count('login')).toBe(0)
    expect(h.count('request')).toBe(0)
  })

  it('a 401 on the bind is reported as PHONE_BIND_FAILED, with no relogin and no replay', async () => {
    const h = await setupUni({ phoneUrl: '/auth/phone' })
    await h.auth.engine.ensureSession()
    h.backend.expireAll()
    await expect(h.auth.bindPhone('c')).rejects.toMatchObject({ code: 'PHONE_BIND_FAILED' })
    expect(h.count('login')).toBe(1)
    expect(h.backend.seen.filter((r) => r.url.endsWith('/auth/phone'))).toHaveLength(1)
  })

  it('without phoneUrl, or with an empty code, it fails with INVALID_OPTIONS', async () => {
    const h = await setupUni()
    await h.auth.engine.ensureSession()
    await expect(h.auth.bindPhone('c')).rejects.toMatchObject({ code: 'INVALID_OPTIONS' })
    const hp = await setupUni({ phoneUrl: '/auth/phone' })
    await expect(hp.auth.bindPhone('')).rejects.toMatchObject({ code: 'INVALID_OPTIONS' })
  })
})
