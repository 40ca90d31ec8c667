import { WECHAT_MOCK_BASE } from './config'

/**
 * H5 has no `uni.login`. In the demo, the mock WeChat API mints login codes instead, so the rest of
 * the sequence (code → backend → code2Session → token) runs exactly as on a phone.
 * The request goes to another host than `baseUrl`, so the auth interceptor leaves it alone.
 */
export function mockWechatCode(): Promise<string> {
  return new Promise((resolve, reject) => {
    uni.request({
      url: `${WECHAT_MOCK_BASE}/dev/code`,
      method: 'POST',
      data: { openid: browserOpenid() },
      success: (res) => {
        const code = (res.data as { code?: unknown } | null)?.code
        if (res.statusCode === 200 && typeof code === 'string') resolve(code)
        else reject(new Error(`mock WeChat answered HTTP ${res.statusCode}`))
      },
      fail: reject,
    })
  })
}

/** One stable fake WeChat identity per browser, like one phone. */
function browserOpenid(): string {
  const key = 'demo:openid'
  let openid = uni.getStorageSync(key) as string
  if (!openid) {
    openid = `h5-${Math.random().toString(36).slice(2, 10)}`
    uni.setStorageSync(key, openid)
  }
  return openid
}

/**
 * H5 has no `getPhoneNumber` button either: the mock WeChat API mints the phone code the button
 * would hand over on a phone (`detail.code`).
 */
export function mockPhoneCode(): Promise<string> {
  return new Promise((resolve, reject) => {
    uni.request({
      url: `${WECHAT_MOCK_BASE}/dev/phone-code`,
      method: 'POST',
      data: {},
      success: (res) => {
        const code = (res.data as { code?: unknown } | null)?.code
        if (res.statusCode === 200 && typeof code === 'string') resolve(code)
        else reject(new Error(`mock WeChat answered HTTP ${res.statusCode}`))
      },
      fail: reject,
    })
  })
}
