import { describe, expect, it } from 'vitest'
import { type Harness, startHarness, useHarness } from '../helpers/harness.js'

async function refresh(harness: Harness, refreshToken: string) {
  return harness.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } })
}

describe('refresh token rotation', () => {
  const harness = useHarness()

  it('works once; the rotated token is refused once its successor was used', async () => {
    const login = await harness().login()
    const first = await refresh(harness(), login.refreshToken)
    expect(first.statusCode).toBe(200)
    const pair = first.json()
    expect(pair.refreshToken).not.toBe(login.refreshToken)
    expect(pair.user.id).toBe(login.user.id)
    const me = await harness().inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${pair.token}` } })
    expect(me.statusCode).toBe(200)
    expect((await refresh(harness(), pair.refreshToken)).statusCode).toBe(200)

    const replay = await refresh(harness(), login.refreshToken)
    expect(replay.statusCode).toBe(401)
    expect(replay.json().code).toBe('AUTH_REFRESH_INVALID')
  })

  it('replaying a rotated token revokes the whole family', async () => {
    const login = await harness().login()
    const rotated = (await refresh(harness(), login.refreshToken)).json()
    const newest = (await refresh(harness(), rotated.refreshToken)).json()
    expect((await refresh(harness(), login.refreshToken)).statusCode).toBe(401)
    // The legitimate newest token is gone too: the thief and the user both have to log in again.
    expect((await refresh(harness(), newest.refreshToken)).statusCode).toBe(401)
  })

  it('a chain of rotations keeps working', async () => {
    let token = (await harness().login()).refreshToken
    for (let i = 0; i < 5; i += 1) {
      const response = await refresh(harness(), token)
      expect(response.statusCode).toBe(200)
      token = response.json().refreshToken
    }
  })
})

describe('refresh token expiry', () => {
  it('refuses a refresh token past REFRESH_TTL_SECONDS', async () => {
    let now = Date.now()
    const harness = await startHarness({ now: () => now, env: { REFRESH_TTL_SECONDS: '60' } })
    try {
      const login = await harness.login()
      expect(login.refreshExpiresIn).toBe(60)
      now += 61_000
      const response = await refresh(harness, login.refreshToken)
      expect(response.statusCode).toBe(401)
      expect(response.json().code).toBe('AUTH_REFRESH_INVALID')
    } finally {
      await harness.close()
    }
  })
})
