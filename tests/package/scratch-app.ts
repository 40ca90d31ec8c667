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
 * The same app for the H5 dev server, with `<AuthTimeline>` on its page: a login (the code from
 * `getCode`, as on H5 there is no wx.login) and three requests to `api`, drawn by the timeline.
 */
export function timelineAppFiles(api: string): Record<string, string> {
  return {
    ...FILES,
    // What a uni-app project created by the CLI has for H5: the page that loads main.ts, a Vite
    // config with the uni() plugin, and a package.json (the plugin reads its dependencies).
    'index.html': `<!DOCTYPE html>
<html lang="en">
  <head><meta charset="UTF-8" /><link rel="icon" href="data:," /><title>packed</title></head>
  <body><div id="app"></div><script type="module" src="/main.ts"></script></body>
</html>
`,
    'vite.config.mjs': `import uni from '@dcloudio/vite-plugin-uni'
import { defineConfig } from 'vite'
export default defineConfig({ plugins: [(uni.default ?? uni)()] })
`,
    'package.json': JSON.stringify({
      name: 'scratch-h5',
      private: true,
      type: 'module',
      dependencies: {
        '@dcloudio/uni-app': '*',
        '@dcloudio/uni-components': '*',
        '@dcloudio/uni-h5': '*',
        pinia: '*',
        'uni-mp-auth': '*',
        vue: '*',
      },
      devDependencies: { '@dcloudio/uni-cli-shared': '*', '@dcloudio/vite-plugin-uni': '*', vite: '*' },
    }),
    'main.ts': `import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import { createUniAuth } from 'uni-mp-auth'
import { createAuthTimeline } from 'uni-mp-auth/timeline'
import App from './App.vue'
export function createApp() {
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  app.use(createUniAuth({ baseUrl: '${api}', login: '/auth/login', getCode: async () => 'h5-code' }))
  app.use(createAuthTimeline())
  return { app, Pinia }
}
`,
    'pages/index/index.vue': `<script setup lang="ts">
import { ref } from 'vue'
import { onLoad } from '@dcloudio/uni-app'
import { useAuth } from 'uni-mp-auth'
import { AuthTimeline } from 'uni-mp-auth/timeline'
const { status } = useAuth()
const answers = ref<number[]>([])
onLoad(() => {
  for (const via of ['a', 'b', 'c']) {
    uni.request({ url: '/me?via=' + via, success: (res) => answers.value.push(res.statusCode) })
  }
})
</script>
<template>
  <view><text id="status">{{ status }}</text><text id="answers">{{ answers.join(',') }}</text><AuthTimeline /></view>
</template>
`,
  }
}

/**
 * Writes the app into `dir` with a node_modules that links every package of this repository's
 * node_modules (the uni toolchain, vue, pinia) except the plugin itself, which comes from the tarball.
 */
export function writeScratchApp(dir: string, repoNodeModules: string, files: Record<string, string> = FILES): string {
  for (const [path, content] of Object.entries(files)) {
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
