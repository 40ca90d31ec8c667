import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFakeBackend, type FakeBackend } from '../doubles/fake-backend'
import type { MemoryStorage } from '../doubles/memory-storage'
import { type GlobalScope, installGlobals } from '../mp-host/globals'
import { createFreshLoader } from '../mp-host/module-loader'
import { createFakeVendor, type FakeVendor, VENDOR_GLOBAL, type Vendor, type VendorBehaviour, type VendorNetwork } from './fake-vendor'
import { createVendorRuntime, type VendorPage, type VendorRuntime } from './vendor-runtime'

export interface VendorHostOptions<B extends VendorNetwork = FakeBackend> {
  /** The build to run, e.g. `dist/build/mp-alipay` (`node scripts/uni.mjs build -p mp-alipay`). */
  distDir: string
  vendor: Vendor
  /** The fake backend, or a real server behind a `VendorNetwork`. @default a new `createFakeBackend()` */
  backend?: B
  /** The phone's storage; pass the previous host's `storage` for a relaunch. @default empty */
  storage?: MemoryStorage
  behaviour?: Partial<VendorBehaviour>
}

export interface VendorHost<B extends VendorNetwork = FakeBackend> {
  readonly fake: FakeVendor
  readonly backend: B
  readonly storage: MemoryStorage
  readonly runtime: VendorRuntime
  /** Loads a fresh copy of the build (the fake `my` / `tt` first), runs App onLaunch/onShow, opens the first page. */
  launch(): VendorPage
  /** Lets real time pass in steps until `predicate()` holds; throws after `timeoutMs` (default 5000). */
  until(predicate: () => boolean, what?: string, timeoutMs?: number): Promise<void>
  /** Puts the globals back (those installed and those the build added). Call after every scenario. */
  dispose(): void
}

/**
 * Runs a compiled Alipay or Douyin mini-program build in Node: uni-app's runtime, Vue, Pinia and the
 * plugin exactly as built, over a fake `my` / `tt` and the fake backend. Only the script runs: pages
 * are created and go through their lifecycle, but no template is rendered (assert on the call log,
 * the backend and the storage). Its loader and globals come from the WeChat host (../mp-host).
 */
export function createVendorHost<B extends VendorNetwork = FakeBackend>(options: VendorHostOptions<B>): VendorHost<B> {
  const { distDir, vendor } = options
  const backend = options.backend ?? (createFakeBackend() as VendorNetwork as B)
  const fake = createFakeVendor({ vendor, backend, storage: options.storage, behaviour: options.behaviour })
  const runtime = createVendorRuntime()
  const { pages } = JSON.parse(readFileSync(join(distDir, 'app.json'), 'utf8')) as { pages: string[] }
  let scope: GlobalScope | null = null

  return {
    fake,
    backend,
    storage: fake.storage,
    runtime,
    launch() {
      if (scope) throw new Error('vendor-host: launch() called twice; create a new host for a relaunch')
      // vendor.js reads the platform global while it loads: the fake must be there first.
      scope = installGlobals({ [VENDOR_GLOBAL[vendor]]: fake.api, ...runtime.globals })
      const loader = createFreshLoader(distDir)
      loader.require('app.js')
      for (const route of pages) runtime.register(route, () => loader.require(`${route}.js`))
      const first = pages[0]
      if (!first) throw new Error(`vendor-host: ${distDir}/app.json lists no pages`)
      runtime.launch({ path: first, query: {}, scene: 1001, referrerInfo: {} })
      return runtime.openPage(first, {})
    },
    async until(predicate, what = 'condition', timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`vendor-host: ${what} not reached within ${timeoutMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    },
    dispose() {
      scope?.restore()
    },
  }
}
