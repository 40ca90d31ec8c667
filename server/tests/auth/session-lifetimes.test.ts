import { describe, expect, it } from 'vitest'
import { startHarness } from '../helpers/harness.js'

describe('session lifetimes', () => {
  it('a refresh token works until REFRESH_TTL_SECONDS have passed, and not from then on', async () => {
    let now = Date.now()
    const harness = await startHarness({ now: () => now, env: { REFRESH_TTL_SECONDS: '60' } })
    const refresh = (refreshToken: string) => harness.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } })
    try {
      const early = await harness.login()
      const late = await harness.login()
      now += 59_999
      expect((await refresh(early.refreshToken)).statusCode).toBe(200)
      now += 1
      const expired = await refresh(late.refreshToken)
      expect(expired.statusCode).toBe(401)
      expect(expired.json().code).toBe('AUTH_REFRESH_INVALID')
    } finally {
      await harness.close()
    }
  })
})
