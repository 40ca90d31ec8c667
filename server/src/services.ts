import type { Redis } from 'ioredis'
import type { RequireUser } from './auth/require-user.js'
import type { Clock } from './clock.js'
import type { AuthConfig } from './options.js'
import type { ProviderRegistry } from './providers/registry.js'
import type { AuthStore } from './store/types.js'
import type { AccessTokens } from './tokens/access-tokens.js'
import type { AccessTokenProvider } from './wechat/access-token.js'
import type { WechatClient } from './wechat/client.js'

/** Everything a route needs, built once when the plugin is registered and passed down explicitly. */
export interface Services {
  config: AuthConfig
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
