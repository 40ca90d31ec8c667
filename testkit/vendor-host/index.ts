/**
 * A headless host for the Alipay (`mp-alipay`) and Douyin (`mp-toutiao`) builds: the compiled app
 * over a fake `my` / `tt` and the fake backend. Copy it with ../mp-host (its loader and globals)
 * and ../doubles.
 */
export {
  createFakeVendor,
  type FakeVendor,
  type FakeVendorOptions,
  type Vendor,
  type VendorBehaviour,
  type VendorNetwork,
} from './fake-vendor'
export { createVendorHost, type VendorHost, type VendorHostOptions } from './host'
export { createVendorRuntime, type VendorPage, type VendorRuntime } from './vendor-runtime'
