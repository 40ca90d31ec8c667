import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { RequireUser } from './auth/require-user.js'
import { drainUnreadBody } from './http/drain-body.js'
import { errorHandler } from './http/error-handler.js'
import { installJsonBodyParser } from './http/json-body.js'
import { registerRateLimits } from './http/rate-limits.js'
import { checkReadiness, type Readiness } from './http/readiness.js'
import { installStrictValidator } from './http/validator.js'
import type { ResolvedAuthOptions, UniMpAuthOptions } from './config/options.js'
import { resolveOptions } from './config/resolve-options.js'
import type { ProviderRegistry } from './providers/registry.js'
import { registerAuthRoutes } from './routes/auth-routes.js'
import { registerDevRoutes } from './routes/dev-routes.js'
import { registerIdentityRoutes } from './routes/identity-routes.js'
import { registerUserRoutes } from './routes/user-routes.js'
import { createServices, type MiniProgramApi } from './services/services.js'
import type { AuthStore } from './store/types.js'
import type { AccessTokens } from './tokens/access-tokens.js'
import type { AccessTokenProvider } from './wechat/access-token.js'
import type { WechatClient } from './wechat/client.js'

/** What the plugin lends to the app it is registered in, as `app.uniMpAuth`. */
export interface UniMpAuthContext {
  config: ResolvedAuthOptions
  store: AuthStore
  /**
   * The WeChat server API client (code2Session, access_token, getuserphonenumber) of the first
   * mini-program (`wx`'s when it names one); `null` on a backend without a WeChat mini-program.
   */
  wechat: WechatClient | null
  /** The configured login targets: `providers.select(platform, appId).provider.exchange(code, appId)`. */
  providers: ProviderRegistry
  /**
   * The first mini-program's WeChat access_token, cached in Redis when given (else in the store) and
   * refreshed single-flight; `null` without a WeChat mini-program.
   */
  wxAccessToken: AccessTokenProvider | null
  /** Every configured mini-program's client and access_token, by AppID. */
  miniPrograms: ReadonlyMap<string, MiniProgramApi>
  accessTokens: AccessTokens
  /** Pings the store (and Redis when given), each within `timeoutMs` (default 2000). */
  readiness(timeoutMs?: number): Promise<Readiness>
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * `onRequest` / `preHandler` hook for your own routes: a valid `Authorization: Bearer` access
     * token sets `request.auth`; anything else fails with a 401 HttpAuthError (`AUTH_TOKEN_*`).
     */
    requireUser: RequireUser
    uniMpAuth: UniMpAuthContext
  }
}

async function uniMpAuthPlugin(app: FastifyInstance, options: UniMpAuthOptions): Promise<void> {
  const config = resolveOptions(options)
  const services = createServices(config)

  // Decorations reach the app the plugin is registered in (fastify-plugin), for its own routes.
  app.decorateRequest('auth', null)
  app.decorate('requireUser', services.requireUser)
  app.decorate('uniMpAuth', {
    config,
    store: services.store,
    wechat: services.wechat,
    providers: services.providers,
    wxAccessToken: services.wxAccessToken,
    miniPrograms: services.miniPrograms,
    accessTokens: services.accessTokens,
    readiness: (timeoutMs = 2000) => checkReadiness(services, timeoutMs),
  } satisfies UniMpAuthContext)

  // The routes live in a scope of their own: their error shape, body parsing and rate limits do
  // not leak into the host app, and the host app's error handler does not change their contract.
  await app.register(
    async (scope) => {
      scope.setErrorHandler(errorHandler)
      scope.addHook('onSend', drainUnreadBody(config.drainLimitBytes))
      installJsonBodyParser(scope)
      installStrictValidator(scope)
      await registerRateLimits(scope, services.redis)
      registerAuthRoutes(scope, services)
      registerUserRoutes(scope, services)
      registerIdentityRoutes(scope, services)
      if (config.devEndpoints) registerDevRoutes(scope, services)
    },
    { prefix: config.prefix },
  )
}

/**
 * The login routes (`/auth/*`, `/me`, `/me/avatar`, `/me/identities`), `app.requireUser` for your own routes and
 * `app.uniMpAuth` (WeChat client, store, tokens), as one fastify plugin.
 *
 * @example
 * await app.register(uniMpAuth, {
 *   wx: { appId: process.env.WX_APPID!, secret: process.env.WX_SECRET! },
 *   jwt: { secret: process.env.JWT_SECRET! },
 *   store: await createStore('sqlite:./data/auth.db'),
 * })
 * // A route of your own: requireUser answers 401 without a valid access token, else sets request.auth.
 * app.get('/profile', { onRequest: app.requireUser }, async (request) => ({ userId: request.auth!.userId }))
 */
export const uniMpAuth = fp(uniMpAuthPlugin, { fastify: '5.x', name: '@uni-mp-auth/server' })
