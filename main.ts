import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import { createUniAuth } from './src'
import App from './App.vue'
import { API_BASE, LOGIN_TIMEOUT_MS } from './demo/config'
import { mockWechatCode } from './demo/dev-code-provider'

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
      getCode: mockWechatCode,
      // #endif
    }),
  )
  return { app, Pinia }
}
