import { describe, expect, it } from 'vitest'
import { SERVER_DEFAULTS } from '../../src/base/defaults.js'
import { ConfigError } from '../../src/base/errors.js'
import { loadConfig } from '../../src/config/environment.js'

describe('REFRESH_GRACE_SECONDS / refreshGraceSeconds', () => {
  it('defaults to 30 s, inside the 10–60 s of Auth0 reuse intervals and Okta grace periods', () => {
    expect(SERVER_DEFAULTS.refreshGraceSeconds).toBe(30)
    expect(loadConfig({}).auth.refreshGraceSeconds).toBe(30)
  })

  it('takes 0 (every reuse revokes) up to 300, and names the variable when refused', () => {
    expect(loadConfig({ REFRESH_GRACE_SECONDS: '0' }).auth.refreshGraceSeconds).toBe(0)
    expect(loadConfig({ REFRESH_GRACE_SECONDS: '300' }).auth.refreshGraceSeconds).toBe(300)
    expect(() => loadConfig({ REFRESH_GRACE_SECONDS: '301' })).toThrow(ConfigError)
    expect(() => loadConfig({ REFRESH_GRACE_SECONDS: '301' })).toThrow(/REFRESH_GRACE_SECONDS must be an integer from 0 to 300, got 301/)
    expect(() => loadConfig({ REFRESH_GRACE_SECONDS: '-1' })).toThrow(/REFRESH_GRACE_SECONDS/)
    expect(() => loadConfig({ REFRESH_GRACE_SECONDS: 'soon' })).toThrow(/REFRESH_GRACE_SECONDS must be an integer/)
  })
})
