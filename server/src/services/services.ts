import type { Redis } from 'ioredis'
import { type RequireUser, requireUser } from '../auth/require-user.js'
import type { Clock } from '../base/clock.js'
import type { ResolvedAuthOptions } from '../config/options.js'
import { alipayProvider } from '../providers/alipay.js'
import { douyinProvider } from '../providers/douyin.js'
import type { ResolvedProviders } from '../providers/options.js'
import { ProviderRegistry } from '../providers/registry.js'
import type { IdentityProvider } from '../providers/types.js'
import { RedisTokenCache } from '../store/redis-token-cache.js'
import type { AuthStore } from '../store/types.js'
import { AccessTokens } from '../tokens/access-tokens.js'
import { AccessTokenProvider } from '../wechat/access-token.js'
import { WechatClient } from '../wechat/client.js'
import { wechatMiniProgramProvider } from '../wechat/mini-program-provider.js'
import { wechatOAuthProvider } from '../wechat/oauth-provider.js'

/** Everything a route needs, built once when the plugin is registered and passed down explicitly. */
export interface Services {
  config: ResolvedAuthOptions
  store: AuthStore
  /** Shared between instances: rate-limit counters, the WeChat access_token cache; `null` when no Redis is configured. */
  redis: Redis | null
  wechat: WechatClient
  /** The configured login targets (mp-weixin, h5-weixin, mp-alipay …), one provider each. */
  providers: ProviderRegistry
  accessTokens: AccessTokens
  wxAccessToken: AccessTokenProvider
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
  return new ProviderRegistry(providers)
}

export function createServices(config: ResolvedAuthOptions): Services {
  const { store, redis, now } = config
  const wechat = new WechatClient(config.wx)
  const accessTokens = new AccessTokens({ ...config.jwt, now, revocableForDev: config.devEndpoints })
  return {
    config,
    store,
    redis,
    wechat,
    providers: createProviderRegistry(config.providers, now),
    accessTokens,
    wxAccessToken: new AccessTokenProvider({
      // What may be lost goes to Redis when there is one; otherwise the SQL store holds it too.
      cache: redis ? new RedisTokenCache({ redis }) : store,
      now,
      fetchToken: (force) => wechat.fetchAccessToken(force),
    }),
    requireUser: requireUser(accessTokens),
    now,
  }
}
