import type { Redis } from 'ioredis'
import { type RequireUser, requireUser } from '../auth/require-user.js'
import type { Clock } from '../base/clock.js'
import type { ResolvedAuthOptions, TokenEndpoint } from '../config/options.js'
import { alipayProvider } from '../providers/alipay.js'
import { douyinProvider } from '../providers/douyin.js'
import type { ResolvedProviders, ResolvedTarget, SecretAppOptions } from '../providers/options.js'
import { qqProvider } from '../providers/qq.js'
import { ProviderRegistry } from '../providers/registry.js'
import type { IdentityProvider } from '../providers/types.js'
import { RedisTokenCache } from '../store/redis-token-cache.js'
import type { AccessTokenCache, AuthStore } from '../store/types.js'
import { AccessTokens } from '../tokens/access-tokens.js'
import { AccessTokenProvider } from '../wechat/access-token.js'
import { WechatClient } from '../wechat/client.js'
import { wechatMiniProgramProvider } from '../wechat/mini-program-provider.js'
import { wechatOAuthProvider } from '../wechat/oauth-provider.js'

/** One WeChat mini-program's server API: its client and its access_token, each with that AppID's credentials. */
export interface MiniProgramApi {
  client: WechatClient
  accessToken: AccessTokenProvider
}

/**
 * The server API of every configured mini-program, by AppID, in the configured order (the `wx` one
 * first). A getPhoneNumber code can only be read with the access_token of the mini-program that
 * issued it, so each AppID has its own client and its own cached token.
 */
function miniProgramApis(
  target: ResolvedTarget<SecretAppOptions> | undefined,
  settings: { tokenEndpoint: TokenEndpoint; cache: AccessTokenCache; now: Clock },
): ReadonlyMap<string, MiniProgramApi> {
  const apis = new Map<string, MiniProgramApi>()
  if (!target) return apis
  const { apiBase, timeoutMs } = target
  for (const { appId, secret } of target.apps) {
    const client = new WechatClient({ appId, secret, apiBase, timeoutMs, tokenEndpoint: settings.tokenEndpoint })
    const accessToken = new AccessTokenProvider({
      appId,
      cache: settings.cache,
      now: settings.now,
      fetchToken: (force) => client.fetchAccessToken(force),
    })
    apis.set(appId, { client, accessToken })
  }
  return apis
}

/** Everything a route needs, built once when the plugin is registered and passed down explicitly. */
export interface Services {
  config: ResolvedAuthOptions
  store: AuthStore
  /** Shared between instances: rate-limit counters, the WeChat access_token cache; `null` when no Redis is configured. */
  redis: Redis | null
  /** The first mini-program's client (`wx`'s when it names one); `null` without a WeChat mini-program. */
  wechat: WechatClient | null
  /** The configured login targets (mp-weixin, h5-weixin, mp-alipay …), one provider each. */
  providers: ProviderRegistry
  accessTokens: AccessTokens
  /** The first mini-program's access_token; `null` without a WeChat mini-program. */
  wxAccessToken: AccessTokenProvider | null
  /** Every mini-program's client and access_token, by AppID (phone binding uses the user's). */
  miniPrograms: ReadonlyMap<string, MiniProgramApi>
  requireUser: RequireUser
  now: Clock
}

/** One provider per configured login target. */
function createProviderRegistry(resolved: ResolvedProviders, now: Clock): ProviderRegistry {
  const providers: IdentityProvider[] = []
  if (resolved['mp-weixin']) providers.push(wechatMiniProgramProvider(resolved['mp-weixin']))
  for (const platform of ['h5-weixin', 'web-weixin', 'app-weixin'] as const) {
    const target = resolved[platform]
    if (target) providers.push(wechatOAuthProvider(platform, target))
  }
  if (resolved['mp-alipay']) providers.push(alipayProvider(resolved['mp-alipay'], now))
  if (resolved['mp-toutiao']) providers.push(douyinProvider(resolved['mp-toutiao']))
  if (resolved['mp-qq']) providers.push(qqProvider(resolved['mp-qq']))
  return new ProviderRegistry(providers)
}

export function createServices(config: ResolvedAuthOptions): Services {
  const { store, redis, now } = config
  const accessTokens = new AccessTokens({ ...config.jwt, now, revocableForDev: config.devEndpoints })
  const miniPrograms = miniProgramApis(config.providers['mp-weixin'], {
    tokenEndpoint: config.wx.tokenEndpoint,
    // What may be lost goes to Redis when there is one; otherwise the SQL store holds it too.
    cache: redis ? new RedisTokenCache({ redis }) : store,
    now,
  })
  const first = miniPrograms.values().next().value
  return {
    config,
    store,
    redis,
    wechat: first?.client ?? null,
    providers: createProviderRegistry(config.providers, now),
    accessTokens,
    wxAccessToken: first?.accessToken ?? null,
    miniPrograms,
    requireUser: requireUser(accessTokens),
    now,
  }
}
