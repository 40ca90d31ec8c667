/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin, type PluginOption } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const isVitest = Boolean(process.env.VITEST)
/** uni's own Vue runtime: the only one exporting `injectHook`, which uni-app's API layer imports from `vue`. */
const UNI_VUE = `${root}node_modules/@dcloudio/uni-mp-vue/dist/vue.runtime.esm.js`
/** uni-app's API layer is compiled by vite (not loaded by Node) so its `vue` import can be redirected. */
const UNI_LAYER = [/@dcloudio\/uni-mp-weixin/, /@dcloudio\/uni-mp-vue/]

/**
 * One config for the uni CLI and for vitest. vitest cannot load the uni() plugin (it fails to
 * resolve vue/compiler-sfc), so tests compile SFCs with @vitejs/plugin-vue instead.
 */
async function plugins(): Promise<PluginOption[]> {
  if (isVitest) {
    const vue = (await import('@vitejs/plugin-vue')).default
    return [vue()]
  }
  const uni = (await import('@dcloudio/vite-plugin-uni')).default
  return [(uni as unknown as { default?: typeof uni }).default?.() ?? uni()]
}

/** uni's API layer gets uni's Vue runtime; components and @vue/test-utils keep Vue. */
function uniLayerVue(): Plugin {
  return {
    name: 'uni-layer-vue',
    enforce: 'pre',
    resolveId: (source, importer) => (source === 'vue' && importer?.includes('/@dcloudio/') ? UNI_VUE : undefined),
  }
}

export default defineConfig({
  plugins: await plugins(),
  resolve: isVitest
    ? {
        // @dcloudio/uni-app needs uni's own vue runtime (injectHook); unit tests use a small shim.
        alias: { '@dcloudio/uni-app': `${root}src/testing/uni-app.ts` },
      }
    : undefined,
  // Every suite but the server's: `npm test` runs them step by step with `--project`, the builds in
  // between. The server's stay in server/vitest.config.ts, not a project here: the server is its own
  // package (NodeNext, its own dependencies, `npm test -w server` must run from it alone).
  test: {
    restoreMocks: true,
    projects: [
      {
        extends: true,
        plugins: [uniLayerVue()],
        test: {
          name: 'unit',
          include: [
            'tests/core/**/*.test.ts',
            'tests/vue/**/*.test.ts',
            'tests/testing/**/*.test.ts',
            'tests/timeline/**/*.test.ts',
            'tests/h5/**/*.test.ts',
          ],
          environment: 'node',
          server: { deps: { inline: UNI_LAYER } },
        },
      },
      {
        extends: true,
        // uni-app's real mp-weixin API layer, with uni's own Vue runtime as `vue` for everything, as in
        // the mp-weixin build.
        resolve: { alias: { vue: UNI_VUE } },
        test: {
          name: 'uni-runtime',
          include: ['tests/uni/**/*.test.ts', 'tests/guard/**/*.test.ts', 'tests/phone/**/*.test.ts'],
          environment: 'node',
          server: { deps: { inline: UNI_LAYER } },
        },
      },
      {
        // Scenarios on the compiled mp-weixin demo app, loaded through the host's own loader: none of
        // the uni() / vue plugins apply. The global setup builds the app first when
        // dist/build/mp-weixin is missing or older than its sources.
        test: {
          name: 'mp-host',
          include: ['tests/mp-host/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/mp-host/global-setup.ts'],
          setupFiles: ['tests/mp-host/scenarios/setup.ts'],
          restoreMocks: true,
          // Each host loads its own copy of the build and puts the globals back, so per-file isolation
          // buys nothing here and costs seconds: one thread runs all scenario files in ~1.5 s.
          pool: 'threads',
          isolate: false,
          testTimeout: 10_000,
        },
      },
      {
        // The demo compiled for Alipay and Douyin, run over a fake `my` / `tt` (testkit/vendor-host). The
        // global setup builds dist/build/mp-alipay and mp-toutiao when missing or older than their sources.
        test: {
          name: 'vendor-host',
          include: ['tests/vendor-host/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/vendor-host/global-setup.ts'],
          restoreMocks: true,
          pool: 'threads',
          isolate: false,
          testTimeout: 10_000,
          hookTimeout: 600_000,
        },
      },
      {
        // The published package as a user gets it: `npm pack`, installed into a scratch uni-app
        // outside this repository, built for mp-weixin and run in the mini-program host.
        test: {
          name: 'package',
          include: ['tests/package/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        // The demo app in a real browser (Debian chromium via playwright-core) against the real backend
        // and mock WeChat. The global setup starts everything and the browser, and builds the H5 demo
        // (dist/e2e/h5) and its WeChat OAuth variant (dist/e2e/h5-oauth) when stale.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          // One browser, one backend: scenarios count requests, so files never run side by side.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 30_000,
          // The global setup installs chromium (first run only) and builds the H5 app.
          hookTimeout: 600_000,
        },
      },
    ],
  },
})
