import { afterEach, describe, expect, it, vi } from 'vitest'
import { ENGINE_DEFAULTS } from '../../src/core/engine-options'
import { isAuthError } from '../../src/core/errors'
import type { Session } from '../../src/core/types'
import { DEFAULTS, normalizeOptions, type UniAuthOptions } from '../../src/uni/auth-config'
import { takeMarker } from '../../src/uni/request-marker'
import type { UniLike, UniOptions } from '../../src/uni/uni-host'

/** The smallest complete `uni`: its request records the options and answers 200 with `data`. */
function fakeUni(data: unknown = { token: 't' }) {
  const sent: UniOptions[] = []
  const uni = {
    request(options: UniOptions) {
      sent.push(options)
      queueMicrotask(() => (options.success as (r: unknown) => void)({ statusCode: 200, data, header: {} }))
    },
    addInterceptor() {},
    removeInterceptor() {},
    getStorageSync: () => '',
  }
  return { uni: uni as unknown as UniLike, sent }
}

const normalize = (options: Partial<UniAuthOptions> & Record<string, unknown>) =>
  normalizeOptions({ login: '/auth/login', host: { uni: fakeUni().uni }, ...options } as UniAuthOptions)

function refusal(options: Record<string, unknown>): unknown {
  try {
    normalize(options)
    return null
  } catch (error) {
    return error
  }
}

const message = (detail: string) => `createUniAuth(): ${detail} (see "Options" in the README)`
const session: Session = { token: 'tok', expiresAt: null, renewAt: null, generation: 1, refreshToken: 'ref', user: null }

describe('the documented defaults', () => {
  it('DEFAULTS lists them', () => {
    expect(DEFAULTS).toMatchObject({ skip: [], maxReplays: 1, debug: false, engine: ENGINE_DEFAULTS })
    expect(DEFAULTS.header('abc')).toEqual({ Authorization: 'Bearer abc' })
    expect(DEFAULTS.isAuthFailure({ statusCode: 401 })).toBe(true)
    expect(DEFAULTS.isAuthFailure({ statusCode: 403 })).toBe(false)
    expect(DEFAULTS.isAuthFailure({ data: { statusCode: 401 } })).toBe(false)
  })

  it('a config without options uses them', () => {
    const config = normalize({})
    expect(config.header).toBe(DEFAULTS.header)
    expect(config.isAuthFailure).toBe(DEFAULTS.isAuthFailure)
    expect(config.maxReplays).toBe(1)
    expect(config.refresh).toBeUndefined()
    expect(config.notifyLogout).toBeUndefined()
  })

  it('the app’s own choices win, and the other options are kept as given', () => {
    const header = (token: string) => ({ 'X-Token': token })
    const isAuthFailure = () => false
    const onEvent = () => {}
    const getCode = async () => 'c'
    const config = normalize({ header, isAuthFailure, maxReplays: 0, onEvent, getCode, debug: true, engine: { backoffMs: 5 } })
    expect(config).toMatchObject({ header, isAuthFailure, maxReplays: 0, onEvent, getCode, debug: true, engine: { backoffMs: 5 } })
  })
})

describe('development builds check every option', () => {
  afterEach(() => vi.unstubAllEnvs())

  it.each([
    ['no login', { login: undefined }, '`login` must be string|function'],
    ['an empty login URL', { login: '' }, '`login` must be string|function'],
    ['a numeric login', { login: 1 }, '`login` must be string|function'],
    ['a null refresh', { refresh: null }, '`refresh` must be string|function'],
    ['an object logout', { logout: {} }, '`logout` must be string|function'],
    ['an empty baseUrl', { baseUrl: '' }, '`baseUrl` must be string'],
    ['a getCode string', { getCode: 'code' }, '`getCode` must be function'],
    ['a header object', { header: { Authorization: 'x' } }, '`header` must be function'],
    ['an isAuthFailure number', { isAuthFailure: 401 }, '`isAuthFailure` must be function'],
    ['a skip string', { skip: '/public' }, '`skip` must be array|function'],
    ['a skip object', { skip: {} }, '`skip` must be array|function'],
    ['a maxReplays string', { maxReplays: '1' }, '`maxReplays` must be number'],
    ['an engine array', { engine: [] }, '`engine` must be object'],
    ['a null engine', { engine: null }, '`engine` must be object'],
    ['a null host', { host: null }, '`host` must be object'],
    ['an onEvent array', { onEvent: [] }, '`onEvent` must be function'],
    ['a debug string', { debug: 'yes' }, '`debug` must be boolean'],
    ['a host string', { host: 'uni' }, '`host` must be object'],
    ['an unknown option', { loginUrl: '/l' }, '`loginUrl` is not an option'],
    ['a fractional maxReplays', { maxReplays: 1.5 }, '`maxReplays` must be a whole number ≥ 0'],
    ['a negative maxReplays', { maxReplays: -1 }, '`maxReplays` must be a whole number ≥ 0'],
    ['a skip rule that is a number', { skip: ['/a', 42] }, '`skip` may only list URL paths and RegExps'],
    ['a skip rule that is a function', { skip: [/a/, () => true] }, '`skip` may only list URL paths and RegExps'],
    ['a target string', { target: 'mp-weixin' }, '`target` must be object'],
    [
      'a target with a typo',
      { target: { platfrom: 'mp-weixin' } },
      '`target` may only name a `platform` and an `appId`, each a non-empty string',
    ],
    [
      'a target with an empty appId',
      { target: { appId: '' } },
      '`target` may only name a `platform` and an `appId`, each a non-empty string',
    ],
    [
      'a target with a numeric platform',
      { target: { platform: 1 } },
      '`target` may only name a `platform` and an `appId`, each a non-empty string',
    ],
  ])('refuses %s with INVALID_OPTIONS saying what is wrong', (_, options, detail) => {
    const error = refusal(options)
    expect(isAuthError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', message: message(detail) })
  })

  it.each([
    ['a login function', { login: async () => ({ token: 't' }) }],
    ['maxReplays 0', { maxReplays: 0 }],
    ['skip paths and RegExps', { skip: ['/a', /b/] }],
    ['a skip function', { skip: () => false }],
    ['a target', { target: { platform: 'mp-weixin', appId: 'wx1' } }],
    ['an empty target', { target: {} }],
    ['a target field left undefined (an env variable one build does not set)', { target: { appId: undefined } }],
    ['every optional option', { refresh: '/r', logout: '/o', baseUrl: 'https://x', debug: false, engine: {}, onEvent: () => {} }],
  ])('accepts %s', (_, options) => {
    expect(() => normalize(options)).not.toThrow()
  })

  it('production builds drop the option checks (they are the app’s own code, checked in development)', () => {
    vi.stubEnv('NODE_ENV', 'production')
    expect(normalize({ loginUrl: '/l', maxReplays: 1.5, skip: [42] as never }).maxReplays).toBe(1.5)
  })
})

describe('a host without the APIs the plugin needs is refused, in every build', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
    vi.unstubAllGlobals()
  })

  it.each(['request', 'addInterceptor', 'removeInterceptor', 'getStorageSync'])('no uni.%s', (name) => {
    vi.stubEnv('NODE_ENV', 'production')
    const uni = { ...fakeUni().uni, [name]: undefined }
    const error = refusal({ host: { uni } })
    expect(error).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: message(`uni.${name} is missing: run inside a uni-app app or pass a complete host.uni`),
    })
  })

  it('no host.uni and no global uni', () => {
    vi.stubGlobal('uni', undefined)
    expect(refusal({ host: {} })).toMatchObject({
      message: message('uni.request is missing: run inside a uni-app app or pass a complete host.uni'),
    })
  })

  it('without host.uni it takes the global uni', () => {
    const { uni } = fakeUni()
    vi.stubGlobal('uni', uni)
    const config = normalizeOptions({ login: '/auth/login' })
    expect(config.uni.request).toBe(uni.request)
  })
})

describe('URLs and the token’s scope', () => {
  it.each([
    ['https://api.test', 'https://api.test'],
    ['https://api.test/', 'https://api.test'],
    ['https://api.test/v1//', 'https://api.test/v1'],
  ])('baseUrl %s is used as %s', (baseUrl, expected) => {
    expect(normalize({ baseUrl })).toMatchObject({ baseUrl: expected, tokenScope: expected })
  })

  it.each([
    ['an absolute login URL without baseUrl: its origin', { login: 'https://id.test/auth/login' }, 'https://id.test'],
    ['a relative login URL without baseUrl: every URL', { login: '/auth/login' }, undefined],
    ['a login function without baseUrl: every URL', { login: async () => ({ token: 't' }) }, undefined],
    ['baseUrl wins over the login URL', { baseUrl: 'https://api.test', login: 'https://id.test/auth/login' }, 'https://api.test'],
  ])('%s', (_, options, scope) => {
    expect(normalize(options).tokenScope).toBe(scope)
  })

  it('a login URL posts { code } to its URL under baseUrl', async () => {
    const { uni, sent } = fakeUni({ token: 'granted' })
    const config = normalize({ baseUrl: 'https://api.test', login: '/auth/login', host: { uni } })
    await expect(config.login('c1')).resolves.toEqual({ token: 'granted' })
    expect(sent[0]).toMatchObject({ url: 'https://api.test/auth/login', method: 'POST', data: { code: 'c1' } })
  })

  it('a refresh URL posts { refreshToken }', async () => {
    const { uni, sent } = fakeUni({ token: 'renewed' })
    const config = normalize({ baseUrl: 'https://api.test', refresh: 'auth/refresh', host: { uni } })
    await expect(config.refresh?.('r1')).resolves.toEqual({ token: 'renewed' })
    expect(sent[0]).toMatchObject({ url: 'https://api.test/auth/refresh', data: { refreshToken: 'r1' } })
  })

  it('a logout URL posts the ended refresh token with the ended token’s headers, past the interceptor', async () => {
    const { uni, sent } = fakeUni({})
    const config = normalize({ baseUrl: 'https://api.test', logout: '/auth/logout', header: (t) => ({ 'X-Token': t }), host: { uni } })
    await config.notifyLogout?.(session)
    expect(sent[0]).toMatchObject({
      url: 'https://api.test/auth/logout',
      data: { refreshToken: 'ref' },
      header: { 'X-Token': 'tok', 'content-type': 'application/json' },
    })
    expect(takeMarker(sent[0]!)).toEqual({ kind: 'bypass' })
  })

  it('a logout URL posts an empty body for a session without a refresh token (a backend schema refuses null)', async () => {
    const { uni, sent } = fakeUni({})
    const config = normalize({ baseUrl: 'https://api.test', logout: '/auth/logout', host: { uni } })
    await config.notifyLogout?.({ ...session, refreshToken: null })
    expect(sent[0]?.data).toEqual({})
    expect(sent[0]?.header).toMatchObject({ Authorization: 'Bearer tok' })
  })

  it('endpoint functions are used as they are', () => {
    const login = async () => ({ token: 't' })
    const refresh = async () => ({ token: 't' })
    const logout = async () => {}
    expect(normalize({ login, refresh, logout })).toMatchObject({ login, refresh, notifyLogout: logout })
  })
})

describe('which requests go out untouched (skips)', () => {
  const skips = (options: Partial<UniAuthOptions>, url: string) => normalize({ baseUrl: 'https://api.test', ...options }).skips({ url })

  it.each([
    ['the login URL', 'https://api.test/auth/login', true],
    ['the login URL with a query', 'https://api.test/auth/login?x=1', true],
    ['the refresh URL', 'https://api.test/auth/refresh', true],
    ['the logout URL', 'https://api.test/auth/logout/', true],
    ['a listed path, resolved against baseUrl', 'https://api.test/public/news', true],
    ['a URL a RegExp matches', 'https://api.test/health', true],
    ['any other URL', 'https://api.test/orders', false],
    ['a path that only starts like a listed one', 'https://api.test/public/news/1', false],
  ])('%s: %s → %s', (_, url, expected) => {
    expect(skips({ refresh: '/auth/refresh', logout: '/auth/logout', skip: ['/public/news', /\/health$/] }, url)).toBe(expected)
  })

  it('a RegExp sees the whole URL', () => {
    expect(skips({ skip: [/^https:\/\/api\.test\/orders$/] }, 'https://api.test/orders')).toBe(true)
  })

  it('without skip only the plugin’s own endpoints are skipped', () => {
    expect(skips({}, 'https://api.test/auth/login')).toBe(true)
    expect(skips({}, 'https://api.test/orders')).toBe(false)
  })

  it('a skip function decides for every other URL; the plugin’s own endpoints stay skipped', () => {
    const asked: string[] = []
    const skip = (options: UniOptions) => {
      asked.push(String(options.url))
      return String(options.url).endsWith('/public')
    }
    expect(skips({ skip }, 'https://api.test/public')).toBe(true)
    expect(skips({ skip }, 'https://api.test/orders')).toBe(false)
    expect(skips({ skip }, 'https://api.test/auth/login')).toBe(true)
    expect(asked).toEqual(['https://api.test/public', 'https://api.test/orders'])
  })
})
