/** Where the demo finds the reference backend and the mock WeChat API (`npm run demo` starts both). */
export const API_BASE = import.meta.env.VITE_API_BASE || 'http://127.0.0.1:3000'
export const WECHAT_MOCK_BASE = import.meta.env.VITE_WECHAT_MOCK || 'http://127.0.0.1:3001'
export const LOGIN_TIMEOUT_MS = Number(import.meta.env.VITE_LOGIN_TIMEOUT_MS) || 10_000
/** Set to an official account's AppID to run the H5 demo through (mock) WeChat OAuth; empty: mock codes. */
export const WECHAT_OAUTH_APPID = import.meta.env.VITE_WECHAT_OAUTH_APPID || ''
