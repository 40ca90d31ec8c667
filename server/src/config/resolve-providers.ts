import { SERVER_DEFAULTS } from '../base/defaults.js'
import { ConfigError } from '../base/errors.js'
import { parseRsaPrivateKey, parseRsaPublicKey } from '../providers/alipay-sign.js'
import type {
  AlipayAppOptions,
  ProvidersOptions,
  ResolvedProviders,
  ResolvedTarget,
  SecretAppOptions,
  TargetOptions,
} from '../providers/options.js'
import { settingNames } from '../providers/settings.js'
import { LOGIN_PLATFORMS, type LoginPlatform } from '../providers/types.js'
import type { ConfigSource, ResolvedWechatOptions } from './options.js'

const WECHAT_TARGETS = ['h5-weixin', 'web-weixin', 'app-weixin'] as const

/** What the WeChat targets take from the resolved `wx` option: its mini-program, when it names one, and its transport. */
type WechatDefaults = Pick<ResolvedWechatOptions, 'appId' | 'secret' | 'apiBase' | 'timeoutMs'>

/** Option paths as a team writes them: `providers['h5-weixin'].apps[0].secret`. */
const at = (platform: LoginPlatform, rest = '') => `providers['${platform}']${rest}`

class Checker {
  constructor(private readonly source: ConfigSource) {}

  fail(message: string): never {
    throw new ConfigError(this.source.prefix + message)
  }

  name(path: string): string {
    return this.source.name(path)
  }

  text(value: unknown, path: string, what: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(`${this.name(path)} is required (${what})`)
    return value.trim()
  }

  positiveInteger(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      this.fail(`${this.name(path)} must be a positive integer, got ${typeof value === 'string' ? `"${value}"` : String(value)}`)
    }
    return value
  }

  url(value: unknown, fallback: string, path: string): string {
    if (value === undefined) return fallback
    if (typeof value !== 'string' || !/^https?:\/\/\S+$/.test(value))
      this.fail(`${this.name(path)} must be an http(s) URL, got ${String(value)}`)
    return value.replace(/\/+$/, '')
  }

  apps(target: TargetOptions<unknown> | undefined, platform: LoginPlatform): unknown[] {
    const apps = (target as { apps?: unknown } | undefined)?.apps
    if (!Array.isArray(apps) || apps.length === 0) {
      this.fail(
        `${this.name(at(platform, '.apps'))} must list at least one app, e.g. { apps: [{ appId, secret }] }; leave the target out to disable it`,
      )
    }
    return apps
  }
}

function secretApps(check: Checker, target: TargetOptions<SecretAppOptions> | undefined, platform: LoginPlatform): SecretAppOptions[] {
  return check.apps(target, platform).map((raw, index) => {
    const app = (raw ?? {}) as Partial<SecretAppOptions>
    return {
      appId: check.text(app.appId, at(platform, `.apps[${index}].appId`), 'the AppID from the vendor console'),
      secret: check.text(app.secret, at(platform, `.apps[${index}].secret`), 'the AppSecret from the vendor console'),
    }
  })
}

function alipayApps(check: Checker, target: TargetOptions<AlipayAppOptions> | undefined): AlipayAppOptions[] {
  return check.apps(target, 'mp-alipay').map((raw, index) => {
    const app = (raw ?? {}) as Partial<AlipayAppOptions>
    const path = (field: string) => at('mp-alipay', `.apps[${index}].${field}`)
    const appId = check.text(app.appId, path('appId'), 'the Alipay app id, e.g. 2021000000000000')
    const privateKey = check.text(app.privateKey, path('privateKey'), "the app's RSA2 private key")
    const alipayPublicKey = check.text(app.alipayPublicKey, path('alipayPublicKey'), "Alipay's public key from the app console")
    const where = (field: string) => `${check.name(path(field))}`
    try {
      // Parsed to check them now rather than at the first login; the provider parses them again.
      parseRsaPrivateKey(privateKey, where('privateKey'))
      parseRsaPublicKey(alipayPublicKey, where('alipayPublicKey'))
      return { appId, privateKey, alipayPublicKey }
    } catch (error) {
      if (error instanceof ConfigError) check.fail(error.message)
      throw error
    }
  })
}

function target<App extends { appId: string }>(
  check: Checker,
  given: TargetOptions<unknown> | undefined,
  platform: LoginPlatform,
  apps: App[],
  defaults: { apiBase: string; timeoutMs: number },
): ResolvedTarget<App> {
  const seen = new Set<string>()
  for (const app of apps) {
    if (seen.has(app.appId)) check.fail(`${check.name(at(platform, '.apps'))} lists AppID ${app.appId} twice; keep one entry per AppID`)
    seen.add(app.appId)
  }
  return {
    apps,
    apiBase: check.url(given?.apiBase, defaults.apiBase, at(platform, '.apiBase')),
    timeoutMs: check.positiveInteger(given?.timeoutMs ?? defaults.timeoutMs, at(platform, '.timeoutMs')),
  }
}

/** The `wx` app first (when it names one), then the other mini-programs; the same AppID twice must carry the same secret. */
function miniProgramApps(check: Checker, given: TargetOptions<SecretAppOptions> | undefined, wx: WechatDefaults): SecretAppOptions[] {
  const apps: SecretAppOptions[] = wx.appId !== undefined && wx.secret !== undefined ? [{ appId: wx.appId, secret: wx.secret }] : []
  for (const app of given ? secretApps(check, given, 'mp-weixin') : []) {
    if (app.appId !== wx.appId) apps.push(app)
    else if (app.secret !== wx.secret)
      check.fail(`${check.name(at('mp-weixin', '.apps'))} lists the wx AppID ${wx.appId} with another secret; list it once`)
  }
  return apps
}

/** "mp-weixin: WX_APPID and WX_SECRET (plugin option wx or providers['mp-weixin']); h5-weixin: …", for the error of a backend with none. */
function everyTargetSetting(): string {
  return LOGIN_PLATFORMS.map((platform) => `${platform}: ${settingNames(platform)}`).join('; ')
}

/**
 * The `providers` setting, resolved: every configured login target with its defaults filled in
 * and its keys parsed; `mp-weixin`'s first app is `wx` when that names one. At least one target
 * is required: a backend nobody can log in to is a configuration mistake.
 */
export function resolveProviders(options: ProvidersOptions | undefined, wx: WechatDefaults, source: ConfigSource): ResolvedProviders {
  const check = new Checker(source)
  const given = options ?? {}
  for (const key of Object.keys(given)) {
    if (!(LOGIN_PLATFORMS as readonly string[]).includes(key)) {
      check.fail(`${check.name('providers')} has an unknown target '${key}'; known targets: ${LOGIN_PLATFORMS.join(', ')}`)
    }
  }
  const wechatDefaults = { apiBase: wx.apiBase, timeoutMs: wx.timeoutMs }
  const resolved: ResolvedProviders = {}
  const miniPrograms = miniProgramApps(check, given['mp-weixin'], wx)
  if (miniPrograms.length > 0) resolved['mp-weixin'] = target(check, given['mp-weixin'], 'mp-weixin', miniPrograms, wechatDefaults)
  for (const platform of WECHAT_TARGETS) {
    const options = given[platform]
    if (options) resolved[platform] = target(check, options, platform, secretApps(check, options, platform), wechatDefaults)
  }
  const alipay = given['mp-alipay']
  if (alipay) resolved['mp-alipay'] = target(check, alipay, 'mp-alipay', alipayApps(check, alipay), SERVER_DEFAULTS.providers.alipay)
  const douyin = given['mp-toutiao']
  if (douyin)
    resolved['mp-toutiao'] = target(check, douyin, 'mp-toutiao', secretApps(check, douyin, 'mp-toutiao'), SERVER_DEFAULTS.providers.douyin)
  const qq = given['mp-qq']
  if (qq) resolved['mp-qq'] = target(check, qq, 'mp-qq', secretApps(check, qq, 'mp-qq'), SERVER_DEFAULTS.providers.qq)
  if (Object.keys(resolved).length === 0) {
    check.fail(`No login target is configured; set the credentials of at least one: ${everyTargetSetting()}`)
  }
  return resolved
}
