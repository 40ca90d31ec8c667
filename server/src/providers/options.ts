import type { KeyObject } from 'node:crypto'
import { ConfigError } from '../config-error.js'
import { DEFAULTS } from '../defaults.js'
import { parseRsaPrivateKey, parseRsaPublicKey } from './alipay-sign.js'
import { LOGIN_PLATFORMS, type LoginPlatform } from './types.js'

/** An app that authenticates with AppID + AppSecret (WeChat, Douyin). */
export interface SecretAppOptions {
  appId: string
  secret: string
}

/** An Alipay app in public-key mode (not certificate mode). */
export interface AlipayAppOptions {
  appId: string
  /** The app's RSA private key: PEM, or the bare base64 body Alipay's key tool writes (PKCS#8 or PKCS#1). */
  privateKey: string
  /** Alipay's public key (支付宝公钥) shown in the app's console, PEM or bare base64: verifies every answer. */
  alipayPublicKey: string
}

export interface TargetOptions<App> {
  /** One entry per AppID (two mini-programs of one company); a login naming no appId uses the first. */
  apps: App[]
  /** The vendor's API base (Alipay: the whole gateway URL). Defaults to the vendor's production URL; set it for a mock. */
  apiBase?: string
  /** Upper bound for one exchange call. @default 5000 (WeChat targets: wx.timeoutMs) */
  timeoutMs?: number
}

/** The plugin option `providers`: the login targets this backend exchanges codes for, keyed by uni-app's platform name. */
export interface ProvidersOptions {
  /** Merged with the `wx` option, whose AppID comes first. */
  'mp-weixin'?: TargetOptions<SecretAppOptions>
  /** Official account (服务号) for H5 pages inside WeChat, OAuth `snsapi_base`. */
  'h5-weixin'?: TargetOptions<SecretAppOptions>
  /** Open-platform website app (网站应用), QR login `snsapi_login`. */
  'web-weixin'?: TargetOptions<SecretAppOptions>
  /** Open-platform mobile app (移动应用) for the App build. */
  'app-weixin'?: TargetOptions<SecretAppOptions>
  'mp-alipay'?: TargetOptions<AlipayAppOptions>
  'mp-toutiao'?: TargetOptions<SecretAppOptions>
}

export interface ResolvedAlipayApp {
  appId: string
  privateKey: KeyObject
  alipayPublicKey: KeyObject
}

export interface ResolvedTarget<App> {
  apps: App[]
  apiBase: string
  timeoutMs: number
}

/** Every configured target with defaults filled in and keys parsed; an absent key is an unconfigured target. */
export interface ResolvedProviders {
  'mp-weixin'?: ResolvedTarget<SecretAppOptions>
  'h5-weixin'?: ResolvedTarget<SecretAppOptions>
  'web-weixin'?: ResolvedTarget<SecretAppOptions>
  'app-weixin'?: ResolvedTarget<SecretAppOptions>
  'mp-alipay'?: ResolvedTarget<ResolvedAlipayApp>
  'mp-toutiao'?: ResolvedTarget<SecretAppOptions>
}

/** The WeChat settings every WeChat target falls back to (the resolved `wx` option). */
export interface WechatDefaults {
  appId: string
  secret: string
  apiBase: string
  timeoutMs: number
}

const WECHAT_TARGETS = ['h5-weixin', 'web-weixin', 'app-weixin'] as const

function fail(message: string): never {
  throw new ConfigError(`uniMpAuth: ${message}`)
}

function nonEmptyString(value: unknown, where: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(`${where} is required (${what})`)
  return value.trim()
}

function positiveInteger(value: number, where: string): number {
  if (!Number.isInteger(value) || value <= 0) fail(`${where} must be a positive integer, got ${value}`)
  return value
}

function apiBaseOf(value: unknown, fallback: string, where: string): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !/^https?:\/\/\S+$/.test(value)) fail(`${where} must be an http(s) URL, got ${String(value)}`)
  return value.replace(/\/+$/, '')
}

function appsOf<T>(target: TargetOptions<T> | undefined, platform: LoginPlatform): unknown[] {
  const apps = (target as { apps?: unknown } | undefined)?.apps
  if (!Array.isArray(apps) || apps.length === 0) {
    fail(`providers['${platform}'].apps must list at least one app, e.g. { apps: [{ appId, secret }] }; leave the target out to disable it`)
  }
  return apps
}

function uniqueAppIds<T extends { appId: string }>(apps: T[], platform: LoginPlatform): T[] {
  const seen = new Set<string>()
  for (const app of apps) {
    if (seen.has(app.appId)) fail(`providers['${platform}'] lists AppID ${app.appId} twice; keep one entry per AppID`)
    seen.add(app.appId)
  }
  return apps
}

function secretApps(target: TargetOptions<SecretAppOptions> | undefined, platform: LoginPlatform): SecretAppOptions[] {
  return appsOf(target, platform).map((raw, index) => {
    const where = `providers['${platform}'].apps[${index}]`
    const app = (raw ?? {}) as Partial<SecretAppOptions>
    return {
      appId: nonEmptyString(app.appId, `${where}.appId`, 'the AppID from the vendor console'),
      secret: nonEmptyString(app.secret, `${where}.secret`, 'the AppSecret from the vendor console'),
    }
  })
}

function alipayApps(target: TargetOptions<AlipayAppOptions> | undefined): ResolvedAlipayApp[] {
  return appsOf(target, 'mp-alipay').map((raw, index) => {
    const where = `providers['mp-alipay'].apps[${index}]`
    const app = (raw ?? {}) as Partial<AlipayAppOptions>
    const appId = nonEmptyString(app.appId, `${where}.appId`, 'the Alipay app id, e.g. 2021000000000000')
    const privateKey = nonEmptyString(app.privateKey, `${where}.privateKey`, "the app's RSA2 private key")
    const alipayPublicKey = nonEmptyString(app.alipayPublicKey, `${where}.alipayPublicKey`, "Alipay's public key from the app console")
    return {
      appId,
      privateKey: parseRsaPrivateKey(privateKey, `uniMpAuth: ${where}.privateKey`),
      alipayPublicKey: parseRsaPublicKey(alipayPublicKey, `uniMpAuth: ${where}.alipayPublicKey`),
    }
  })
}

function target<App extends { appId: string }>(
  given: TargetOptions<unknown> | undefined,
  platform: LoginPlatform,
  apps: App[],
  defaults: { apiBase: string; timeoutMs: number },
): ResolvedTarget<App> {
  return {
    apps: uniqueAppIds(apps, platform),
    apiBase: apiBaseOf(given?.apiBase, defaults.apiBase, `providers['${platform}'].apiBase`),
    timeoutMs: positiveInteger(given?.timeoutMs ?? defaults.timeoutMs, `providers['${platform}'].timeoutMs`),
  }
}

/** The `wx` app first, then the other mini-programs; the same AppID twice must carry the same secret. */
function miniProgramApps(given: TargetOptions<SecretAppOptions> | undefined, wx: WechatDefaults): SecretAppOptions[] {
  const apps: SecretAppOptions[] = [{ appId: wx.appId, secret: wx.secret }]
  for (const app of given ? secretApps(given, 'mp-weixin') : []) {
    if (app.appId !== wx.appId) apps.push(app)
    else if (app.secret !== wx.secret) fail(`providers['mp-weixin'] lists the wx AppID ${wx.appId} with another secret; list it once`)
  }
  return apps
}

/** Fills in defaults and refuses targets that cannot work, saying how to fix them. */
export function resolveProviders(options: ProvidersOptions | undefined, wx: WechatDefaults): ResolvedProviders {
  const given = options ?? {}
  for (const key of Object.keys(given)) {
    if (!(LOGIN_PLATFORMS as readonly string[]).includes(key)) {
      fail(`providers has an unknown target '${key}'; known targets: ${LOGIN_PLATFORMS.join(', ')}`)
    }
  }
  const wechatDefaults = { apiBase: wx.apiBase, timeoutMs: wx.timeoutMs }
  const resolved: ResolvedProviders = {
    'mp-weixin': target(given['mp-weixin'], 'mp-weixin', miniProgramApps(given['mp-weixin'], wx), wechatDefaults),
  }
  for (const platform of WECHAT_TARGETS) {
    const options = given[platform]
    if (options) resolved[platform] = target(options, platform, secretApps(options, platform), wechatDefaults)
  }
  const alipay = given['mp-alipay']
  if (alipay) resolved['mp-alipay'] = target(alipay, 'mp-alipay', alipayApps(alipay), DEFAULTS.providers.alipay)
  const douyin = given['mp-toutiao']
  if (douyin) resolved['mp-toutiao'] = target(douyin, 'mp-toutiao', secretApps(douyin, 'mp-toutiao'), DEFAULTS.providers.douyin)
  return resolved
}
