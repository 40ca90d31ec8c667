import { readFileSync } from 'node:fs'
import { ConfigError } from '../base/errors.js'
import type { AlipayAppOptions, ProvidersOptions, SecretAppOptions, TargetOptions } from '../providers/options.js'
import { TARGET_SETTINGS } from '../providers/settings.js'
import type { LoginPlatform } from '../providers/types.js'

// The login targets in the standalone server's environment (`WX_APPID` / `WX_SECRET` are the `wx`
// option and more mini-programs, see environment.ts). Values are checked by `resolve-providers.ts`,
// which names the variables through `providerEnvName`; only what is specific to variables (pairs,
// lists, files) is checked here.

type Env = Record<string, string | undefined>

/** Transport variables of the targets that do not share `WX_API_BASE` / `WX_TIMEOUT_MS`. */
const TRANSPORT: Partial<Record<LoginPlatform, { apiBase: string; timeoutMs: string }>> = {
  'mp-alipay': { apiBase: 'ALIPAY_GATEWAY', timeoutMs: 'ALIPAY_TIMEOUT_MS' },
  'mp-toutiao': { apiBase: 'DOUYIN_API_BASE', timeoutMs: 'DOUYIN_TIMEOUT_MS' },
  'mp-qq': { apiBase: 'QQ_API_BASE', timeoutMs: 'QQ_TIMEOUT_MS' },
}

const APP_FIELDS: Record<string, 'appId' | 'secret' | 'privateKey' | 'publicKey'> = {
  appId: 'appId',
  secret: 'secret',
  privateKey: 'privateKey',
  alipayPublicKey: 'publicKey',
}

/** The variable behind an option path such as `providers['h5-weixin'].apps[1].secret` (`WX_H5_SECRET`), if any. */
export function providerEnvName(path: string): string | undefined {
  const match = /^providers\['([a-z0-9-]+)'\](?:\.apps(?:\[\d+\]\.(\w+))?|\.(apiBase|timeoutMs))$/.exec(path)
  const settings = match ? TARGET_SETTINGS[match[1] as LoginPlatform] : undefined
  if (!match || !settings) return undefined
  const [, platform, field, transport] = match
  if (transport) return TRANSPORT[platform as LoginPlatform]?.[transport as 'apiBase' | 'timeoutMs']
  // `….apps` as a whole is named by its AppID variable.
  const key = APP_FIELDS[field ?? 'appId']
  return key ? settings.env[key] : undefined
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim()
  return raw ? raw : undefined
}

/** `NAME`, or the contents of the file named by `NAME_FILE` (Docker/K8s secrets keep keys out of process listings). */
function valueOrFile(env: Env, name: string): string | undefined {
  const file = value(env, `${name}_FILE`)
  return file ? readFileSync(file, 'utf8').trim() : value(env, name)
}

/** A number, or the raw text when it is none: resolving refuses it then, naming the variable. */
function numberFrom(env: Env, name: string): number | undefined {
  const raw = value(env, name)
  if (raw === undefined) return undefined
  const parsed = Number(raw)
  return Number.isNaN(parsed) ? (raw as unknown as number) : parsed
}

function withTransport<T>(env: Env, platform: LoginPlatform, target: TargetOptions<T>): TargetOptions<T> {
  const names = TRANSPORT[platform]
  if (!names) return target
  const apiBase = value(env, names.apiBase)
  const timeoutMs = numberFrom(env, names.timeoutMs)
  return { ...target, ...(apiBase ? { apiBase } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) }
}

/** All of a target's variables or none: a half-configured target is a typo, not a wish to disable it. */
function allOrNone(env: Env, platform: LoginPlatform, names: string[]): boolean {
  const given = names.filter((name) => valueOrFile(env, name) !== undefined)
  if (given.length === 0) return false
  if (given.length < names.length) {
    const missing = names.filter((name) => !given.includes(name))
    throw new ConfigError(
      `${given.join(', ')} set but ${missing.join(', ')} not: set all of ${names.join(', ')} to enable ${platform}, or none to leave it off`,
    )
  }
  return true
}

/** `WX_H5_APPID=a,b` with `WX_H5_SECRET=sa,sb`: several AppIDs of one target, paired in order. */
function secretTarget(env: Env, platform: LoginPlatform): TargetOptions<SecretAppOptions> | undefined {
  const { appId: idName, secret: secretName = '' } = TARGET_SETTINGS[platform].env
  if (!allOrNone(env, platform, [idName, secretName])) return undefined
  const ids = (value(env, idName) ?? '').split(',').map((id) => id.trim())
  const secrets = (valueOrFile(env, secretName) ?? '').split(',').map((secret) => secret.trim())
  if (ids.length !== secrets.length) {
    throw new ConfigError(
      `${idName} and ${secretName} must list the same number of comma-separated values (${ids.length} and ${secrets.length})`,
    )
  }
  return withTransport(env, platform, { apps: ids.map((appId, index) => ({ appId, secret: secrets[index] ?? '' })) })
}

function alipayTarget(env: Env): TargetOptions<AlipayAppOptions> | undefined {
  const { appId, privateKey = '', publicKey = '' } = TARGET_SETTINGS['mp-alipay'].env
  if (!allOrNone(env, 'mp-alipay', [appId, privateKey, publicKey])) return undefined
  const app = {
    appId: value(env, appId) ?? '',
    privateKey: valueOrFile(env, privateKey) ?? '',
    alipayPublicKey: valueOrFile(env, publicKey) ?? '',
  }
  return withTransport(env, 'mp-alipay', { apps: [app] })
}

/** `WX_APPID=a,b` with `WX_SECRET=sa,sb`: the mini-programs, the first being the `wx` option's; none when neither is set. */
export function miniProgramTarget(env: Env): TargetOptions<SecretAppOptions> | undefined {
  return secretTarget(env, 'mp-weixin')
}

/** The `providers` setting as the environment gives it (mini-programs aside). */
export function providersFrom(env: Env): ProvidersOptions {
  const providers: ProvidersOptions = {}
  for (const platform of ['h5-weixin', 'web-weixin', 'app-weixin', 'mp-toutiao', 'mp-qq'] as const) {
    const target = secretTarget(env, platform)
    if (target) providers[platform] = target
  }
  const alipay = alipayTarget(env)
  if (alipay) providers['mp-alipay'] = alipay
  return providers
}
