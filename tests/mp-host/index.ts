/** A headless WeChat mini-program host for Node: run a compiled mp-weixin build against a fake `wx`. */
export { createMpHost, type MpHost, type MpHostOptions, type UntilOptions, type CompiledUni, type UniCallOptions } from './host'
export { createFakeWx, type FakeWx, type FakeWxOptions, type WxBehaviour, type CallMode, type HttpOutcome, type FakeStorage } from './fake-wx'
export { createFakeBackend, type FakeBackend, type FakeBackendOptions, type BackendSettings, type BackendRequest, type BackendResponse, type IssuedToken } from './fake-backend'
export type { WxCall, CallLog } from './call-log'
export type { PageDriver } from './page-driver'
export type { MpPageInstance, SetDataPatch, LaunchOptions } from './mp-runtime'
