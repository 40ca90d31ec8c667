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

export function getMe(): Promise<CallResult<{ user: DemoUser }>> {
  return new Promise((resolve) => {
    uni.request({
      url: '/me',
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
