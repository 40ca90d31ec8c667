import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const SCRATCH_API = 'http://127.0.0.1:3000'

/** The smallest app a user would write with the plugin: install it, log in at launch, call /me. */
const FILES: Record<string, string> = {
  'manifest.json': JSON.stringify({
    name: 'packed',
    appid: '',
    versionName: '1.0.0',
    versionCode: '100',
    vueVersion: '3',
    'mp-weixin': { appid: 'wx0000000000000000', setting: { urlCheck: false, minified: true }, usingComponents: true },
  }),
  'pages.json': JSON.stringify({ pages: [{ path: 'pages/index/index', style: {} }], globalStyle: {} }),
  'main.ts': `import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import { createUniAuth } from 'uni-mp-auth'
import App from './App.vue'
export function createApp() {
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  app.use(createUniAuth({ baseUrl: '${SCRATCH_API}', login: '/auth/login' }))
  return { app, Pinia }
}
`,
  'App.vue': `<script setup lang="ts">
import { useAuthLifecycle } from 'uni-mp-auth'
useAuthLifecycle()
</script>
`,
  'pages/index/index.vue': `<script setup lang="ts">
import { ref } from 'vue'
import { onLoad } from '@dcloudio/uni-app'
import { useAuth } from 'uni-mp-auth'
const { status } = useAuth()
const me = ref('—')
onLoad(() => {
  uni.request({ url: '/me', success: (res) => (me.value = String(res.statusCode)) })
})
</script>
<template>
  <view><text id="status">{{ status }}</text><text id="me">{{ me }}</text></view>
</template>
`,
}

/**
 * Writes the app into `dir` with a node_modules that links every package of this repository's
 * node_modules (the uni toolchain, vue, pinia) except the plugin itself, which comes from the tarball.
 */
export function writeScratchApp(dir: string, repoNodeModules: string): string {
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  const modules = join(dir, 'node_modules')
  mkdirSync(modules, { recursive: true })
  for (const entry of readdirSync(repoNodeModules)) {
    if (entry === 'uni-mp-auth' || entry.startsWith('.')) continue
    symlinkSync(join(repoNodeModules, entry), join(modules, entry))
  }
  return join(modules, 'uni-mp-auth')
}
