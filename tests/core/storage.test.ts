import { describe, expect, it } from 'vitest'
import { parseSession, serializeSession } from '../../src/core/persisted-session'
import type { Session } from '../../src/core/types'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'
import { createHarness } from '../../testkit/harness/engine-harness'

const KEY = 'uni-mp-auth:session'
const valid: Session = { token: 't', expiresAt: null, renewAt: null, generation: 3, refreshToken: null, user: { id: 'u1' } }

// Invariant 10: storage is trustworthy; corrupt or foreign values count as absent.
describe('invariant 10: storage is trustworthy', () => {
  it('a session survives a restart with token, user and generation', async () => {
    const storage = createMemoryStorage()
    const first = await createHarness({ storage }).engine.ensureSession()
    const { engine, counts } = createHarness({ storage })
    expect(engine.session).toEqual(first)
    await engine.ensureSession()
    expect(counts.getCode).toBe(0)
  })

  it('round-trips through serialize/parse', () => {
    expect(parseSession(serializeSession(valid))).toEqual(valid)
  })

  it.each([
    ['not JSON', '{oops'],
    ['JSON null', 'null'],
    ['an array', '[1,2]'],
    ['another format version', JSON.stringify({ ...valid, v: 99 })],
    ['an empty token', JSON.stringify({ ...valid, v: 1, token: '' })],
    ['a numeric token', JSON.stringify({ ...valid, v: 1, token: 42 })],
    ['a string expiry', JSON.stringify({ ...valid, v: 1, expiresAt: 'tomorrow' })],
    ['a negative generation', JSON.stringify({ ...valid, v: 1, generation: -1 })],
    ['a user that is a string', JSON.stringify({ ...valid, v: 1, user: 'bob' })],
  ])('%s counts as no session, is removed, and the app logs in normally', async (_, raw) => {
    const storage = createMemoryStorage({ [KEY]: raw })
    const { engine, counts } = createHarness({ storage })
    expect(engine.session).toBeNull()
    expect(storage.has(KEY)).toBe(false)
    await expect(engine.ensureSession()).resolves.toBeTruthy()
    expect(counts.getCode).toBe(1)
  })

  it('a storage that throws on read or write never breaks login', async () => {
    const storage = {
      getItem: () => {
        throw new Error('storage unavailable')
      },
      setItem: () => {
        throw new Error('quota')
      },
      removeItem: () => {
        throw new Error('nope')
      },
    }
    const { engine } = createHarness({ storage })
    await expect(engine.ensureSession()).resolves.toBeTruthy()
    expect(() => engine.logout()).not.toThrow()
  })

  it('generations keep growing across restarts, so an old 401 stays old', async () => {
    const storage = createMemoryStorage()
    const first = await createHarness({ storage }).engine.ensureSession()
    const { engine } = createHarness({ storage })
    const next = await engine.relogin()
    expect(next.generation).toBe(first.generation + 1)
  })
})
