/** A headless WeChat mini-program host for Node: run a compiled mp-weixin build against a fake `wx`. */

export type { CallLog, WxCall } from './call-log'
export {
  type BackendRequest,
  type BackendResponse,
  type BackendSettings,
  createFakeBackend,
  type FakeBackend,
  type FakeBackendOptions,
  type IssuedToken,
} from './fake-backend'
export {
  type CallMode,
  createFakeWx,
  type FakeStorage,
  type FakeWx,
  type FakeWxOptions,
  type HttpOutcome,
  type WxBehaviour,
} from './fake-wx'
export { type CompiledUni, createMpHost, type MpHost, type MpHostOptions, type UniCallOptions, type UntilOptions } from './host'
export type { LaunchOptions, MpPageInstance, SetDataPatch } from './mp-runtime'
export type { PageDriver } from './page-driver'
