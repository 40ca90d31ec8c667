import type { Clock } from '../clock.js'
import { AuthError } from '../errors.js'
import { alipayProvider } from './alipay.js'
import { douyinProvider } from './douyin.js'
import type { ResolvedProviders } from './options.js'
import { settingNames } from './settings.js'
import type { IdentityProvider, LoginPlatform } from './types.js'
import { wechatMiniProgramProvider } from './wechat-mini-program.js'
import { wechatOAuthProvider } from './wechat-oauth.js'

/** A provider picked for one login, with the AppID whose credentials it will use. */
export interface SelectedProvider {
  provider: IdentityProvider
  appId: string
}

/** The configured login targets; picks one per login or refuses the login, naming the missing setting. */
export class ProviderRegistry {
  private readonly byPlatform: ReadonlyMap<LoginPlatform, IdentityProvider>

  constructor(providers: readonly IdentityProvider[]) {
    this.byPlatform = new Map(providers.map((provider) => [provider.platform, provider]))
  }

  /** The targets a login may name. */
  get platforms(): LoginPlatform[] {
    return [...this.byPlatform.keys()]
  }

  select(platform: LoginPlatform, appId: string | undefined): SelectedProvider {
    const provider = this.byPlatform.get(platform)
    if (!provider) {
      throw new AuthError(
        'PLATFORM_NOT_CONFIGURED',
        `Login target ${platform} is not configured on this server: set ${settingNames(platform)}`,
      )
    }
    const chosen = appId ?? provider.appIds[0]
    if (chosen === undefined || !provider.appIds.includes(chosen)) {
      // The sent value is not echoed back (see http/error-handler.ts).
      throw new AuthError('APPID_NOT_CONFIGURED', `The appId sent is not configured for ${platform}: add it to ${settingNames(platform)}`)
    }
    return { provider, appId: chosen }
  }
}

export function createProviderRegistry(resolved: ResolvedProviders, now: Clock): ProviderRegistry {
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
