import type { Redis } from 'ioredis'
import { type RequireUser, requireUser } from '../auth/require-user.js'
import type { Clock } from '../base/clock.js'
import type { ResolvedAuthOptions } from '../config/options.js'
import { RedisTokenCache } from '../store/redis-token-cache.js'
import type { AuthStore } from '../store/types.js'
import { AccessTokens } from '../tokens/access-tokens.js'
import { AccessTokenProvider } from '../wechat/access-token.js'
import { WechatClient } from '../wechat/client.js'

/** Everything a route needs, built once when the plugin is registered and passed down explicitly. */
export interface Services {
  config: ResolvedAuthOptions
  store: AuthStore
  /** Shared between instances: rate-limit counters, the WeChat access_token cache; `null` when no Redis is configured. */
  redis: Redis | null
  wechat: WechatClient
  accessTokens: AccessTokens
  wxAccessToken: AccessTokenProvider
  requireUser: RequireUser
  now: Clock
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
