import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import { createUniAuth } from './src'
import { createAuthGuard } from './src/guard'
import { createAuthTimeline } from './src/timeline'
import App from './App.vue'
import { API_BASE, LOGIN_TIMEOUT_MS, WECHAT_MOCK_BASE, WECHAT_OAUTH_APPID } from './demo/config'
import { mockWechatCode } from './demo/dev-code-provider'
// #ifdef H5
import { wechatOAuth } from './src/h5'
// #endif
import { GUARD } from './demo/guard'

export function createApp() {
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  app.use(
    createUniAuth({
      baseUrl: API_BASE,
      login: '/auth/login',
      refresh: '/auth/refresh',
      logout: '/auth/logout',
      engine: { loginTimeoutMs: LOGIN_TIMEOUT_MS },
      // #ifdef H5
      // With an official-account AppID, codes come through the mock WeChat API's OAuth authorize page.
      getCode: WECHAT_OAUTH_APPID ? wechatOAuth({ appId: WECHAT_OAUTH_APPID, authorizeBase: WECHAT_MOCK_BASE }) : mockWechatCode,
      // #endif
    }),
  )
  // Every way into the Orders tab and the wallet is checked: navigation APIs, the tabBar, back, launch.
  app.use(createAuthGuard(GUARD))
  // The home page's timeline draws the auth events from launch on (a development aid).
  app.use(createAuthTimeline())
  return { app, Pinia }
}
