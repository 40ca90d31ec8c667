import * as Pinia from 'pinia'
import { createSSRApp } from 'vue'
import { createUniAuth } from '../../../src'
import App from './App.vue'

export const API = 'http://127.0.0.1:3000'

export function createApp() {
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  app.use(createUniAuth({ baseUrl: API, login: '/auth/login' }))
  return { app, Pinia }
}
