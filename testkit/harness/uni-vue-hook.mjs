// Node module hook: uni-app's mp-weixin API layer imports `vue` for `injectHook`, which only uni's
// own Vue runtime exports. Point that one import (and only from @dcloudio packages) at it.
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)
const uniVue = pathToFileURL(require.resolve('@dcloudio/uni-mp-vue/dist/vue.runtime.esm.js')).href

export async function resolve(specifier, context, next) {
  if (specifier === 'vue' && context.parentURL?.includes('/@dcloudio/')) return { url: uniVue, shortCircuit: true }
  return next(specifier, context)
}
