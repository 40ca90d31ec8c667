/**
 * A headless WeChat mini-program host for Node: run a compiled mp-weixin build against a fake `wx`,
 * its pages and components rendered by WeChat's own framework (`miniprogram-simulate`).
 * The fake `wx`, its backend and storage live in ../doubles (shared with the unit tests and
 * the benchmarks); copy that folder along with this one.
 */

export type { CallLog, WxCall } from '../doubles/call-log'
export {
  type BackendCounts,
  type BackendRequest,
  type BackendResponse,
  type BackendSettings,
  createFakeBackend,
  type FakeBackend,
  type FakeBackendOptions,
  type IssuedToken,
} from '../doubles/fake-backend'
export {
  type CallMode,
  createFakeWx,
  type FakeStorage,
  type FakeTask,
  type FakeWx,
  type FakeWxOptions,
  type HttpAnswer,
  type HttpOutcome,
  type HttpResponse,
  type PlatformAnswer,
  type PlatformScript,
  type WxBehaviour,
} from '../doubles/fake-wx'
export { createMemoryStorage, MemoryStorage } from '../doubles/memory-storage'
export { type CompiledUni, createMpHost, type MpHost, type MpHostOptions, type UniCallOptions, type UntilOptions } from './host'
export type { LaunchOptions, MpPageInstance } from './mp-runtime'
export type { PageDriver, ViewDriver } from './page-driver'
export { compileWxml, WxmlCompileError } from './simulator'
