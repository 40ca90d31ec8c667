import type { Clock } from './clock.js'
import type { AppConfig } from './config.js'
import type { AuthStore } from './store/types.js'
import type { AccessTokens } from './tokens/access-tokens.js'
import type { AccessTokenProvider } from './wechat/access-token.js'
import type { WechatClient } from './wechat/client.js'

/** Everything a route needs, built once in buildApp and passed down explicitly. */
export interface Services {
  config: AppConfig
  store: AuthStore
  wechat: WechatClient
  accessTokens: AccessTokens
  wxAccessToken: AccessTokenProvider
  now: Clock
}
