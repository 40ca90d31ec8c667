import { afterEach, describe, expect, it, vi } from 'vitest'
import { globalUni, type UniLike, uniPlatform, uniStorage } from '../../src/uni/uni-host'

type Callbacks = { success?: (result?: unknown) => void; fail?: (result?: unknown) => void }

/** A `uni` slice whose login / checkSession answer through the given function. */
function platformOf(apis: { login?: (o: Callbacks) => void; checkSession?: (o: Callbacks) => void }) {
  return uniPlatform(apis as unknown as UniLike)
}

describe('uni.checkSession as the engine’s platform session state', () => {
  it('success means valid', async () => {
    await expect(platformOf({ checkSession: (o) => o.success?.({}) }).checkSession()).resolves.toBe('valid')
  })

  it.each(['checkSession:fail session time out, need relogin', 'checkSession:fail'])('a fail (%s) means expired', async (errMsg) => {
    await expect(platformOf({ checkSession: (o) => o.fail?.({ errMsg }) }).checkSession()).resolves.toBe('expired')
  })

  it('a fail without a payload means expired', async () => {
    await expect(platformOf({ checkSession: (o) => o.fail?.() }).checkSession()).resolves.toBe('expired')
  })

  it.each(['checkSession:fail not supported', 'checkSession:fail API UNSUPPORTED', 'checkSession:fail not implemented'])(
    'a platform that cannot check (%s) means unknown, so the token is kept',
    async (errMsg) => {
      await expect(platformOf({ checkSession: (o) => o.fail?.({ errMsg }) }).checkSession()).resolves.toBe('unknown')
    },
  )

  it('no checkSession at all (Alipay, H5) means unknown', async () => {
    await expect(platformOf({}).checkSession()).resolves.toBe('unknown')
  })

  it('the App build never asks: its WeChat login keeps no mini-program session', async () => {
    const original = process.env.UNI_PLATFORM
    process.env.UNI_PLATFORM = 'app'
    try {
      const checkSession = vi.fn()
      await expect(platformOf({ checkSession }).checkSession()).resolves.toBe('unknown')
      expect(checkSession).not.toHaveBeenCalled()
    } finally {
      if (original === undefined) delete process.env.UNI_PLATFORM
      else process.env.UNI_PLATFORM = original
    }
  })
})

describe('uni.login as the engine’s code source', () => {
  it('resolves with the code, or an Alipay authCode', async () => {
    await expect(platformOf({ login: (o) => o.success?.({ code: 'c1' }) }).getCode()).resolves.toBe('c1')
    await expect(platformOf({ login: (o) => o.success?.({ authCode: 'a1' }) }).getCode()).resolves.toBe('a1')
  })

  it('rejects with the platform’s fail payload', async () => {
    const failure = { errMsg: 'login:fail system error' }
    await expect(platformOf({ login: (o) => o.fail?.(failure) }).getCode()).rejects.toBe(failure)
  })

  it('without uni.login (H5) it rejects with a message that says to pass getCode', async () => {
    await expect(platformOf({}).getCode()).rejects.toThrow('uni.login is missing here (H5?): pass `getCode` to createUniAuth')
  })

  it('a getCode option replaces uni.login', async () => {
    const login = vi.fn()
    const platform = uniPlatform({ login } as unknown as UniLike, async () => 'own')
    await expect(platform.getCode()).resolves.toBe('own')
    expect(login).not.toHaveBeenCalled()
  })
})

describe('uni storage as the engine’s storage', () => {
  function storageOver(stored: Record<string, unknown>) {
    const uni = {
      getStorageSync: (key: string) => (key in stored ? stored[key] : ''),
      setStorageSync: (key: string, value: unknown) => {
        stored[key] = value
      },
      removeStorageSync: (key: string) => void delete stored[key],
    }
    return uniStorage(uni as unknown as UniLike)
  }

  it.each([
    ['a string', 'abc', 'abc'],
    ['a missing key (uni answers an empty string)', undefined, null],
    ['an object', { token: 't' }, null],
    ['a number', 42, null],
  ])('reads %s as %j', (_, value, expected) => {
    const storage = storageOver(value === undefined ? {} : { k: value })
    expect(storage.getItem('k')).toBe(expected)
  })

  it('writes and removes under the given key', () => {
    const stored: Record<string, unknown> = {}
    const storage = storageOver(stored)
    storage.setItem('k', 'v')
    expect(stored).toEqual({ k: 'v' })
    expect(storage.getItem('k')).toBe('v')
    storage.removeItem('k')
    expect(stored).toEqual({})
  })
})

describe('the global uni', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('is undefined where no uni exists yet', () => {
    vi.stubGlobal('uni', undefined)
    expect(globalUni()).toBeUndefined()
  })
})
