import { HttpAuthError } from '../base/errors.js'
import { settingNames } from './settings.js'
import type { IdentityProvider, LoginPlatform } from './types.js'

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
      throw new HttpAuthError(
        'PLATFORM_NOT_CONFIGURED',
        `Login target ${platform} is not configured on this server: set ${settingNames(platform)}`,
      )
    }
    const chosen = appId ?? provider.appIds[0]
    if (chosen === undefined || !provider.appIds.includes(chosen)) {
      // The sent value is not echoed back (see http/error-handler.ts).
      throw new HttpAuthError(
        'APPID_NOT_CONFIGURED',
        `The appId sent is not configured for ${platform}: add it to ${settingNames(platform)}`,
      )
    }
    return { provider, appId: chosen }
  }
}
