/** The demo's calls to the reference backend: plain uni APIs; the plugin adds session and token. */
export interface DemoUser {
  id: string
  phoneBound?: boolean
}

export interface CallResult<T> {
  ok: boolean
  statusCode: number
  data: T | null
  errMsg?: string
}

/** `GET /me`; `tag` goes into the query so the timeline can tell the calls apart (`?via=burst-3`). */
export function getMe(tag?: string): Promise<CallResult<{ user: DemoUser }>> {
  return new Promise((resolve) => {
    uni.request({
      url: tag ? `/me?via=${tag}` : '/me',
      success: (res) => resolve({ ok: res.statusCode === 200, statusCode: res.statusCode, data: res.data as { user: DemoUser } }),
      fail: (err) => resolve({ ok: false, statusCode: 0, data: null, errMsg: err.errMsg }),
    })
  })
}

export function uploadAvatar(filePath: string): Promise<CallResult<unknown>> {
  return new Promise((resolve) => {
    uni.uploadFile({
      url: '/me/avatar',
      filePath,
      name: 'avatar',
      success: (res) => resolve({ ok: res.statusCode === 200, statusCode: res.statusCode, data: res.data }),
      fail: (err) => resolve({ ok: false, statusCode: 0, data: null, errMsg: err.errMsg }),
    })
  })
}

/** The reference backend's development switch: every token issued so far answers 401 from now on. */
export function expireTokens(): Promise<CallResult<unknown>> {
  return new Promise((resolve) => {
    uni.request({
      url: '/dev/expire-tokens',
      method: 'POST',
      success: (res) => resolve({ ok: res.statusCode === 204, statusCode: res.statusCode, data: null }),
      fail: (err) => resolve({ ok: false, statusCode: 0, data: null, errMsg: err.errMsg }),
    })
  })
}
