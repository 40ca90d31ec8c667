/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url'
import { defineConfig, type PluginOption } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const isVitest = Boolean(process.env.VITEST)

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

export default defineConfig({
  plugins: await plugins(),
  resolve: isVitest
    ? {
        // @dcloudio/uni-app needs uni's own vue runtime (injectHook); unit tests use a small shim.
        alias: { '@dcloudio/uni-app': `${root}src/testing/uni-app.ts` },
      }
    : undefined,
  test: {
    restoreMocks: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/core/**/*.test.ts', 'tests/vue/**/*.test.ts', 'tests/model/**/*.test.ts', 'tests/timeline/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        // uni-app's real mp-weixin API layer needs uni's own Vue runtime (injectHook) as `vue`.
        resolve: { alias: { vue: `${root}node_modules/@dcloudio/uni-mp-vue/dist/vue.runtime.esm.js` } },
        test: {
          name: 'uni-runtime',
          include: ['tests/uni/**/*.test.ts'],
          environment: 'node',
          server: { deps: { inline: [/@dcloudio\/uni-mp-weixin/, /@dcloudio\/uni-mp-vue/] } },
        },
      },
    ],
  },
})
