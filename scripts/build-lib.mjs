#!/usr/bin/env node
// `npm run build:lib`: the publishable package and the DCloud plugin-market layout, from one source.
//   dist/lib/                    ESM + .d.ts of src/ (what `npm pack` ships)
//   dist/uni_modules/uni-mp-auth the same code as a uni_modules plugin (js_sdk/, readme.md, changelog.md)
// The library is compiled without the DOM lib on purpose: mini-program runtimes have no DOM, so code
// that reaches for URLSearchParams, window or the like fails here instead of on a phone.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const lib = join(root, 'dist/lib')
const plugin = join(root, 'dist/uni_modules/uni-mp-auth')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

rmSync(lib, { recursive: true, force: true })
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.lib.json'], {
  cwd: root,
  // stdout stays clean for `npm pack --json`, which runs this as its prepack step.
  stdio: ['ignore', 2, 2],
})
if (tsc.status !== 0) process.exit(tsc.status ?? 1)
// Single-file components ship as source: uni-app's build compiles them for each platform (a render
// function would not run on mini-programs). Each gets a declaration for TypeScript users.
for (const file of readdirSync(join(root, 'src'), { recursive: true })
  .map(String)
  .filter((name) => name.endsWith('.vue'))) {
  cpSync(join(root, 'src', file), join(lib, file))
  writeFileSync(
    join(lib, `${file}.d.ts`),
    "import type { DefineComponent } from 'vue'\ndeclare const component: DefineComponent<{ limit?: number }>\nexport default component\n",
  )
}

rmSync(plugin, { recursive: true, force: true })
mkdirSync(plugin, { recursive: true })
cpSync(lib, join(plugin, 'js_sdk'), { recursive: true })
writeFileSync(
  join(plugin, 'package.json'),
  `${JSON.stringify(
    {
      id: 'uni-mp-auth',
      name: 'uni-mp-auth',
      displayName: 'uni-mp-auth 静默无竞态登录',
      version: pkg.version,
      description: pkg.description,
      keywords: pkg.keywords,
      main: 'js_sdk/index.js',
      types: 'js_sdk/index.d.ts',
      license: pkg.license,
      engines: { HBuilderX: '^3.8.0' },
      dcloudext: {
        type: 'sdk-js',
        sale: { regular: { price: '0.00' }, sourcecode: { price: '0.00' } },
        contact: { qq: '' },
        declaration: { ads: '无', data: '无', permissions: '无' },
        npmurl: 'https://www.npmjs.com/package/uni-mp-auth',
      },
      uni_modules: {
        dependencies: [],
        encrypt: [],
        platforms: {
          cloud: { tcb: 'y', aliyun: 'y', alipay: 'n' },
          client: {
            Vue: { vue2: 'n', vue3: 'y' },
            // The App's uni.login call is unit-tested but never run on a device here: 'u' (unknown).
            App: { 'app-vue': 'u', 'app-nvue': 'n' },
            H5: { 'H5-mobile': 'y', 'H5-pc': 'y' },
            // Alipay and Douyin: the compiled demo runs headless over fake my / tt (tests/vendor-host).
            小程序: { 微信: 'y', 阿里: 'y', 百度: 'u', 字节跳动: 'y', QQ: 'u', 钉钉: 'u', 快手: 'u', 飞书: 'u', 京东: 'u' },
          },
        },
      },
      peerDependencies: pkg.peerDependencies,
    },
    null,
    2,
  )}\n`,
)
cpSync(join(root, 'README.zh-CN.md'), join(plugin, 'readme.md'))
cpSync(join(root, 'CHANGELOG.md'), join(plugin, 'changelog.md'))
console.error(`built ${lib} and ${plugin}`)
