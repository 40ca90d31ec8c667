/**
 * B4: bytes each contender adds to the minified mp-weixin build of one minimal uni-app. Each variant
 * is a scratch app under bench/.work/apps/<name> (gitignored), built with the project's uni CLI
 * (scripts/uni.mjs, UNI_INPUT_DIR = the scratch app, UNI_OUTPUT_DIR inside it). The page and its
 * request call are the same everywhere; only the request setup in api.ts / main.ts / App.vue differs.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
const APPS_DIR = join(ROOT, 'bench/.work/apps')
const API_BASE = 'https://api.bench'

export type SizeVariant =
  | 'base'
  | 'base-pinia'
  | 'ours'
  | 'ours-guard-phone'
  | 'article'
  | 'alova'
  | 'luch-request'
  | 'base-noop-interceptor'
  | 'ours-h5-oauth'
/** Built for B4; the last one only serves B3 (uni's own interceptor cost, with an empty `invoke`). */
const SIZE_VARIANTS: readonly SizeVariant[] = [
  'base',
  'base-pinia',
  'ours',
  'ours-guard-phone',
  'article',
  'alova',
  'luch-request',
  'base-noop-interceptor',
]

/** uni-app build targets B4 can build (`uni build -p …`); mp-weixin is the one the headline figures use. */
export type BuildTarget = 'mp-weixin' | 'mp-alipay' | 'mp-toutiao' | 'h5' | 'app'

export function distOf(variant: SizeVariant, target: BuildTarget = 'mp-weixin'): string {
  return join(APPS_DIR, variant, `dist/${target}`)
}

const MANIFEST = {
  name: 'bench-app',
  appid: '',
  versionName: '1.0.0',
  versionCode: '100',
  vueVersion: '3',
  'mp-weixin': { appid: 'wx0000000000000000', setting: { urlCheck: false, es6: true, minified: true }, usingComponents: true },
}
const PAGES = { pages: [{ path: 'pages/index/index', style: { navigationBarTitleText: 'bench' } }], globalStyle: {} }

const PAGE = `<template>
  <view><button @tap="load">load</button><text>{{ status }}</text></view>
</template>
<script setup lang="ts">
import { ref } from 'vue'
import { getMe } from '../../api'
const status = ref(0)
async function load() {
  status.value = await getMe()
}
</script>
`

const PLAIN_API = `/** The page's one backend call, a plain uni.request. */
export function getMe(): Promise<number> {
  return new Promise((resolve) => {
    uni.request({ url: '${API_BASE}/me', success: (res) => resolve(res.statusCode), fail: () => resolve(0) })
  })
}
`

const MAIN_PLAIN = `import { createSSRApp } from 'vue'
import App from './App.vue'
export function createApp() {
  const app = createSSRApp(App)
  return { app }
}
`
const MAIN_PINIA = `import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import App from './App.vue'
export function createApp() {
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  return { app, Pinia }
}
`
const APP_PLAIN = `<script lang="ts">\nexport default {}\n</script>\n`

interface AppFiles {
  'main.ts': string
  'App.vue': string
  'api.ts': string
  /** The one page; the same everywhere unless a variant needs its own. */
  'pages/index/index.vue'?: string
}

/** The README's set-up: Pinia, createUniAuth in main.ts (plus what `extra` adds), useAuthLifecycle in App.vue. */
function oursFiles(src: string, extra: { imports?: string; use?: string } = {}): AppFiles {
  return {
    'main.ts': `import { createSSRApp } from 'vue'
import * as Pinia from 'pinia'
import { createUniAuth } from '${src}'
${extra.imports ?? ''}import App from './App.vue'
export function createApp() {
  const app = createSSRApp(App)
  app.use(Pinia.createPinia())
  app.use(createUniAuth({ baseUrl: '${API_BASE}', login: '/auth/login' }))
${extra.use ?? ''}  return { app, Pinia }
}
`,
    'App.vue': `<script setup lang="ts">
import { useAuthLifecycle } from '${src}'
useAuthLifecycle()
</script>
`,
    'api.ts': PLAIN_API,
  }
}

/** The page with a getPhoneNumber button whose code goes to bindPhone(). */
const PHONE_PAGE = (src: string) => `<template>
  <view>
    <button @tap="load">load</button><text>{{ status }}</text>
    <button open-type="getPhoneNumber" @getphonenumber="onPhone">bind phone</button>
  </view>
</template>
<script setup lang="ts">
import { ref } from 'vue'
import { bindPhone } from '${src}/phone'
import { getMe } from '../../api'
const status = ref(0)
async function load() {
  status.value = await getMe()
}
async function onPhone(event: { detail: { code?: string } }) {
  if (event.detail.code) await bindPhone(event.detail.code)
}
</script>
`

function files(variant: SizeVariant): AppFiles {
  const src = relative(join(APPS_DIR, variant), join(ROOT, 'src')).replaceAll('\\', '/')
  const contenders = relative(join(APPS_DIR, variant), join(ROOT, 'bench/contenders')).replaceAll('\\', '/')
  switch (variant) {
    case 'base':
      return { 'main.ts': MAIN_PLAIN, 'App.vue': APP_PLAIN, 'api.ts': PLAIN_API }
    case 'base-pinia':
      return { 'main.ts': MAIN_PINIA, 'App.vue': APP_PLAIN, 'api.ts': PLAIN_API }
    case 'base-noop-interceptor':
      return {
        'main.ts': MAIN_PLAIN.replace(
          'export function createApp',
          "uni.addInterceptor('request', { invoke() {} })\nexport function createApp",
        ),
        'App.vue': APP_PLAIN,
        'api.ts': PLAIN_API,
      }
    case 'ours':
      return oursFiles(src)
    case 'ours-guard-phone':
      // The same app also guarding a page and binding the phone number from a getPhoneNumber button.
      return {
        ...oursFiles(src, {
          imports: `import { createAuthGuard } from '${src}/guard'\n`,
          use: `  app.use(createAuthGuard({ pages: ['pages/index/index'], loginPage: '/pages/login/index' }))\n`,
        }),
        'pages/index/index.vue': PHONE_PAGE(`../../${src}`),
      }
    case 'ours-h5-oauth': {
      // H5 inside WeChat: the same app taking its codes from uni-mp-auth/h5 (built for h5 only).
      const ours = oursFiles(src, { imports: `import { wechatOAuth } from '${src}/h5'\n` })
      return {
        ...ours,
        'main.ts': ours['main.ts'].replace("login: '/auth/login' }", "login: '/auth/login', getCode: wechatOAuth({ appId: 'wx-oa' }) }"),
      }
    }
    case 'article':
      return {
        'main.ts': MAIN_PLAIN,
        'App.vue': `<script setup lang="ts">
import { onLaunch } from '@dcloudio/uni-app'
import { client } from './api'
// The article: check the session once at app start.
onLaunch(() => void client.checkSession().catch(() => {}))
</script>
`,
        'api.ts': `import { createArticleClient, type TaroLike } from '${contenders}/article'
export const client = createArticleClient({ taro: uni as unknown as TaroLike, baseUrl: '${API_BASE}', loginUrl: '/auth/login' })
export function getMe(): Promise<number> {
  return client.fetch('/me').then((res: { statusCode: number }) => res.statusCode, () => 0)
}
`,
      }
    case 'alova':
      // alova's documented uni-app adapter with its client token authentication: a missing token is
      // "expired", the refresh handler runs uni.login + the exchange, assignToken adds the header.
      return {
        'main.ts': MAIN_PLAIN,
        'App.vue': APP_PLAIN,
        'api.ts': `import { createAlova } from 'alova'
import { createClientTokenAuthentication } from 'alova/client'
import AdapterUniapp from '@alova/adapter-uniapp'

const uniLogin = () =>
  new Promise<string>((resolve, reject) => uni.login({ success: (res) => resolve(res.code), fail: reject }))

const { onAuthRequired, onResponseRefreshToken } = createClientTokenAuthentication({
  refreshToken: {
    isExpired: () => !uni.getStorageSync('token'),
    handler: async () => {
      const code = await uniLogin()
      const grant = await alova.Post<{ token: string }>('/auth/login', { code }, { meta: { authRole: 'refreshToken' } })
      uni.setStorageSync('token', grant.token)
    },
  },
  assignToken: (method) => {
    method.config.header = { ...method.config.header, Authorization: 'Bearer ' + uni.getStorageSync('token') }
  },
})

export const alova = createAlova({
  baseURL: '${API_BASE}',
  ...AdapterUniapp(),
  beforeRequest: onAuthRequired(),
  responded: onResponseRefreshToken((response: any) => response.data),
})

export function getMe(): Promise<number> {
  return alova.Get('/me').then(() => 200, () => 0)
}
`,
      }
    case 'luch-request':
      // luch-request has no login logic of its own: the smallest equivalent in its request interceptor.
      return {
        'main.ts': MAIN_PLAIN,
        'App.vue': APP_PLAIN,
        'api.ts': `import Request from 'luch-request'

const http = new Request({ baseURL: '${API_BASE}' })
let login: Promise<string> | null = null
const uniLogin = () =>
  new Promise<string>((resolve, reject) => uni.login({ success: (res) => resolve(res.code), fail: reject }))

http.interceptors.request.use(async (config) => {
  if (config.custom?.auth === false) return config
  let token = uni.getStorageSync('token') as string
  if (!token) {
    login ??= uniLogin()
      .then((code) => http.post('/auth/login', { code }, { custom: { auth: false } }))
      .then((res) => (res.data as { token: string }).token)
      .finally(() => (login = null))
    token = await login
    uni.setStorageSync('token', token)
  }
  config.header = { ...config.header, Authorization: 'Bearer ' + token }
  return config
})

export function getMe(): Promise<number> {
  return http.get('/me').then((res) => res.statusCode, () => 0)
}
`,
      }
  }
}

function writeApp(variant: SizeVariant): string {
  const dir = join(APPS_DIR, variant)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'pages/index'), { recursive: true })
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(MANIFEST, null, 2))
  writeFileSync(join(dir, 'pages.json'), JSON.stringify(PAGES, null, 2))
  // The H5 build starts from index.html (mini-program builds ignore it).
  writeFileSync(join(dir, 'index.html'), '<!DOCTYPE html>\n<div id="app"></div>\n<script type="module" src="/main.ts"></script>\n')
  writeFileSync(
    join(dir, 'vite.config.mjs'),
    "import uni from '@dcloudio/vite-plugin-uni'\nexport default { plugins: [(uni.default ?? uni)()] }\n",
  )
  writeFileSync(join(dir, 'pages/index/index.vue'), PAGE)
  for (const [name, text] of Object.entries(files(variant))) writeFileSync(join(dir, name), text)
  return dir
}

export function buildApp(variant: SizeVariant, target: BuildTarget = 'mp-weixin'): void {
  const dir = writeApp(variant)
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_ENV'))
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts/uni.mjs'), 'build', '-p', target], {
    cwd: ROOT,
    // H5's vite root must be the scratch app (its index.html); mini-program builds keep the project's.
    env: { ...env, UNI_INPUT_DIR: dir, UNI_OUTPUT_DIR: distOf(variant, target), ...(target === 'h5' && { VITE_ROOT_DIR: dir }) },
    encoding: 'utf8',
  })
  if (result.status !== 0) {
    throw new Error(`building the ${variant} scratch app for ${target} failed:\n${result.stdout}\n${result.stderr}`)
  }
}

export interface BuildSize {
  files: number
  raw: number
  /** Sum of each file gzipped on its own (level 9). */
  gzip: number
  /** common/vendor.js alone (0 for targets without one: H5, App). */
  vendorRaw: number
  vendorGzip: number
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

export function measure(variant: SizeVariant, target: BuildTarget = 'mp-weixin'): BuildSize {
  const out = distOf(variant, target)
  const all = walk(out)
  let raw = 0
  let gzip = 0
  for (const file of all) {
    const bytes = readFileSync(file)
    raw += bytes.length
    gzip += gzipSync(bytes, { level: 9 }).length
  }
  const vendorFile = join(out, 'common/vendor.js')
  const vendor = existsSync(vendorFile) ? readFileSync(vendorFile) : Buffer.alloc(0)
  return { files: all.length, raw, gzip, vendorRaw: vendor.length, vendorGzip: vendor.length ? gzipSync(vendor, { level: 9 }).length : 0 }
}

export function buildAll(log: (line: string) => void = console.log): Record<SizeVariant, BuildSize> {
  const sizes = {} as Record<SizeVariant, BuildSize>
  for (const variant of SIZE_VARIANTS) {
    const t0 = Date.now()
    buildApp(variant)
    sizes[variant] = measure(variant)
    log(`  B4 built ${variant} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${sizes[variant].raw} B raw, ${sizes[variant].gzip} B gzip`)
  }
  return sizes
}
