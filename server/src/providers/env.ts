import { readFileSync } from 'node:fs'
import { ConfigError } from '../config-error.js'
import { parseRsaPrivateKey, parseRsaPublicKey } from './alipay-sign.js'
import type { ProvidersOptions, SecretAppOptions, TargetOptions } from './options.js'
import { TARGET_SETTINGS } from './settings.js'
import type { LoginPlatform } from './types.js'

type Env = Record<string, string | undefined>

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim()
  return raw ? raw : undefined
}

/** `NAME`, or the contents of the file named by `NAME_FILE` (Docker/K8s secrets keep keys out of process listings). */
function valueOrFile(env: Env, name: string): string | undefined {
  const file = value(env, `${name}_FILE`)
  return file ? readFileSync(file, 'utf8').trim() : value(env, name)
}

function timeoutOf(env: Env, name: string): number | undefined {
  const raw = value(env, name)
  if (raw === undefined) return undefined
  const parsed = Number(raw)
  if (!Number.isInteger(parsed) || parsed <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`)
  return parsed
}

function urlOf(env: Env, name: string): string | undefined {
  const raw = value(env, name)
  if (raw !== undefined && !/^https?:\/\/\S+$/.test(raw)) throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`)
  return raw
}

/** Both or neither: a half-configured target is a typo, not a wish to disable it. */
function requireBoth(env: Env, platform: LoginPlatform, first: string, second: string): boolean {
  const [hasFirst, hasSecond] = [valueOrFile(env, first) !== undefined, valueOrFile(env, second) !== undefined]
  if (hasFirst !== hasSecond) {
    const [set, missing] = hasFirst ? [first, second] : [second, first]
    throw new ConfigError(`${set} is set but ${missing} is not: set both to enable ${platform}, or neither to leave it off`)
  }
  return hasFirst
}

/** `WX_H5_APPID=a,b` with `WX_H5_SECRET=sa,sb`: several AppIDs of one target, paired in order. */
function secretTarget(env: Env, platform: LoginPlatform): TargetOptions<SecretAppOptions> | undefined {
  const { appId: idName, secret: secretName = '' } = TARGET_SETTINGS[platform].env
  if (!requireBoth(env, platform, idName, secretName)) return undefined
  const ids = (value(env, idName) ?? '').split(',').map((id) => id.trim())
  const secrets = (valueOrFile(env, secretName) ?? '').split(',').map((secret) => secret.trim())
  if (ids.length !== secrets.length || [...ids, ...secrets].some((item) => item === '')) {
    throw new ConfigError(`${idName} and ${secretName} must list the same number of comma-separated, non-empty values`)
  }
  return { apps: ids.map((appId, index) => ({ appId, secret: secrets[index] ?? '' })) }
}

function withTransport<T>(target: TargetOptions<T>, apiBase: string | undefined, timeoutMs: number | undefined): TargetOptions<T> {
  return { ...target, ...(apiBase ? { apiBase } : {}), ...(timeoutMs ? { timeoutMs } : {}) }
}

function alipayTarget(env: Env): ProvidersOptions['mp-alipay'] {
  const names = TARGET_SETTINGS['mp-alipay'].env
  const given = [names.appId, names.privateKey ?? '', names.publicKey ?? ''].filter((name) => valueOrFile(env, name) !== undefined)
  if (given.length === 0) return undefined
  if (given.length < 3) {
    throw new ConfigError(
      `mp-alipay needs ${names.appId}, ${names.privateKey} and ${names.publicKey} together; only ${given.join(', ')} set`,
    )
  }
  const privateKey = valueOrFile(env, names.privateKey ?? '') ?? ''
  const alipayPublicKey = valueOrFile(env, names.publicKey ?? '') ?? ''
  // Checked here as well, so a bad key is reported by the variable's name rather than the plugin option's.
  parseRsaPrivateKey(privateKey, names.privateKey ?? '')
  parseRsaPublicKey(alipayPublicKey, names.publicKey ?? '')
  const apps = [{ appId: value(env, names.appId) ?? '', privateKey, alipayPublicKey }]
  return withTransport({ apps }, urlOf(env, 'ALIPAY_GATEWAY'), timeoutOf(env, 'ALIPAY_TIMEOUT_MS'))
}

/**
 * The login targets besides mp-weixin (which is `WX_APPID` / `WX_SECRET`), from the standalone
 * server's environment. The WeChat targets share `WX_API_BASE` and `WX_TIMEOUT_MS`.
 */
export function providersFromEnv(env: Env): ProvidersOptions {
  const providers: ProvidersOptions = {}
  for (const platform of ['h5-weixin', 'web-weixin', 'app-weixin'] as const) {
    const target = secretTarget(env, platform)
    if (target) providers[platform] = target
  }
  const alipay = alipayTarget(env)
  if (alipay) providers['mp-alipay'] = alipay
  const douyin = secretTarget(env, 'mp-toutiao')
  if (douyin) providers['mp-toutiao'] = withTransport(douyin, urlOf(env, 'DOUYIN_API_BASE'), timeoutOf(env, 'DOUYIN_TIMEOUT_MS'))
  return providers
}
