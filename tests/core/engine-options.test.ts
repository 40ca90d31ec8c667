import { afterEach, describe, expect, it, vi } from 'vitest'
import { ENGINE_DEFAULTS, type EngineOptions, resolveEngineOptions } from '../../src/core/engine-options'
import { isAuthError } from '../../src/core/errors'

/** The error `resolveEngineOptions` throws for these options, or `null`. */
function refusal(options: Record<string, unknown>) {
  try {
    resolveEngineOptions(options as EngineOptions)
    return null
  } catch (error) {
    return error
  }
}

describe('engine options: defaults', () => {
  it('no options give every default', () => {
    expect(resolveEngineOptions()).toEqual(ENGINE_DEFAULTS)
    expect(resolveEngineOptions({})).toEqual(ENGINE_DEFAULTS)
  })

  it('the documented defaults', () => {
    expect(ENGINE_DEFAULTS).toEqual({
      loginTimeoutMs: 10_000,
      checkSessionTimeoutMs: 3000,
      sessionCheck: 'background',
      expirySkewMs: 30_000,
      recheckAfterBackgroundMs: 300_000,
      backoffMs: 1000,
      backoffMaxMs: 30_000,
      storageKey: 'uni-mp-auth:session',
    })
  })

  it('a given option replaces its default and leaves the others; an undefined one keeps the default', () => {
    const resolved = resolveEngineOptions({ backoffMs: 5, loginTimeoutMs: undefined })
    expect(resolved).toEqual({ ...ENGINE_DEFAULTS, backoffMs: 5 })
  })

  it('resolving never changes the shared defaults', () => {
    resolveEngineOptions({ backoffMs: 5, storageKey: 'mine' })
    expect(ENGINE_DEFAULTS.backoffMs).toBe(1000)
    expect(ENGINE_DEFAULTS.storageKey).toBe('uni-mp-auth:session')
  })
})

describe('engine options: development builds refuse values that would hang or spin the engine', () => {
  afterEach(() => vi.unstubAllEnvs())

  it.each([
    ['loginTimeoutMs', 1],
    ['checkSessionTimeoutMs', 0],
    ['expirySkewMs', 0],
    ['recheckAfterBackgroundMs', 0],
    ['backoffMs', 0],
    ['backoffMaxMs', 2 ** 31 - 1],
    ['sessionCheck', 'background'],
    ['sessionCheck', 'blocking'],
    ['storageKey', 'k'],
  ])('accepts %s = %j (the edge of what works)', (key, value) => {
    expect(resolveEngineOptions({ [key]: value } as EngineOptions)).toMatchObject({ [key]: value })
  })

  it.each([
    ['loginTimeoutMs', 0, '10000'],
    ['loginTimeoutMs', 0.5, '10000'],
    ['checkSessionTimeoutMs', -1, '3000'],
    ['backoffMs', -0.5, '1000'],
    ['backoffMaxMs', 2 ** 31, '30000'],
    ['expirySkewMs', Number.NaN, '30000'],
    ['recheckAfterBackgroundMs', Number.POSITIVE_INFINITY, '300000'],
    ['backoffMs', '1000', '1000'],
    ['sessionCheck', 'sometimes', '"background"'],
    ['sessionCheck', 1, '"background"'],
    ['storageKey', '', '"uni-mp-auth:session"'],
    ['storageKey', 7, '"uni-mp-auth:session"'],
    ['backoff', 1000, 'undefined'],
  ])('refuses %s = %j with INVALID_OPTIONS naming the option, the value and its default', (key, value, fallback) => {
    const error = refusal({ [key]: value })
    expect(isAuthError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: `engine.${key} = ${typeof value === 'number' ? String(value) : JSON.stringify(value)} is invalid (default ${fallback})`,
    })
  })

  it('production builds drop the check: the options are taken as given', () => {
    vi.stubEnv('NODE_ENV', 'production')
    expect(resolveEngineOptions({ loginTimeoutMs: 0, storageKey: '' })).toMatchObject({ loginTimeoutMs: 0, storageKey: '' })
  })
})
