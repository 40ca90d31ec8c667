import { describe, expect, it } from 'vitest'
import { armFault, TEST_SECRET, useHarness } from '../helpers/harness.js'

// useHarness already checks every response and log line at the end of each file; this file
// drives the paths most likely to log something sensitive (errors, upstream failures).
describe('logs never contain secrets', () => {
  const harness = useHarness()

  it('logs requests and upstream failures without the AppSecret or session_key', async () => {
    await harness().login()
    await armFault(harness(), { endpoint: 'jscode2session', status: 500 })
    await harness().inject({ method: 'POST', url: '/auth/login', payload: { code: harness().mock.state.mintLoginCode({}).code } })
    await armFault(harness(), { endpoint: 'jscode2session', hang: true })
    await harness().inject({ method: 'POST', url: '/auth/login', payload: { code: harness().mock.state.mintLoginCode({}).code } })
    const login = await harness().login()
    await harness().inject({
      method: 'POST',
      url: '/auth/phone',
      headers: { authorization: `Bearer ${login.token}` },
      payload: { code: harness().mock.state.mintPhoneCode() },
    })

    const logs = harness().logText()
    // The capture works (otherwise the absence checks below prove nothing).
    expect(logs).toContain('WX_UNAVAILABLE')
    expect(logs).toContain('/auth/login')
    expect(logs).not.toContain(TEST_SECRET)
    expect(logs).not.toContain(login.token)
    expect(logs).not.toContain(login.refreshToken)
    for (const key of harness().mock.state.issuedSessionKeys) expect(logs).not.toContain(key)
    expect(harness().mock.state.issuedSessionKeys.size).toBeGreaterThan(0)
  })
})
