import { webcrypto } from 'node:crypto'
import { Window } from 'happy-dom'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isAuthError } from '../../src/core/errors'
import { type BrowserLike, type WechatOAuthOptions, wechatOAuth } from '../../src/h5'

const STATE_KEY = 'uni-mp-auth:wechat-oauth:state'
const RETURN_KEY = 'uni-mp-auth:wechat-oauth:return'
const PAGE = 'https://h5.example.com/app/?from=menu#/pages/index/index'

/** A browser tab: the address bar, its history entry, its sessionStorage, and where it was sent. */
function fakeTab(href = PAGE, storage = new Map<string, string>()) {
  const replaced: string[] = []
  const historyState = { router: 'kept' }
  const tab: { href: string; redirects: string[]; storage: Map<string, string>; historyState: object; browser: BrowserLike } = {
    href,
    redirects: replaced,
    storage,
    historyState,
    browser: {
      location: {
        get href(): string {
          return tab.href
        },
        replace: (url: string) => void replaced.push(url),
      },
      history: {
        state: historyState,
        replaceState(state: unknown, _unused: string, url: string) {
          expect(state).toBe(historyState) // the router's entry survives the clean-up
          tab.href = new URL(url, tab.href).href
        },
      },
      sessionStorage: {
        getItem: (key: string) => storage.get(key) ?? null,
        setItem: (key: string, value: string) => void storage.set(key, value),
        removeItem: (key: string) => void storage.delete(key),
      },
      crypto: webcrypto as unknown as BrowserLike['crypto'],
    },
  }
  return tab
}

type Tab = ReturnType<typeof fakeTab>

/** The address WeChat is told to send the user back to, from the tab's latest redirect. */
const redirectUriOf = (tab: Tab) => new URL(tab.redirects.at(-1) ?? 'about:blank').searchParams.get('redirect_uri')

function oauthIn(tab: Tab, options: Partial<WechatOAuthOptions> & { at?: () => number } = {}) {
  const { at = () => 1_000_000, ...rest } = options
  return wechatOAuth({ appId: 'wx-oa', ...rest, host: { browser: tab.browser, now: at } })
}

/** The tab WeChat sends back to after a redirect from `tab`, carrying `code` and the given state. */
function backFromWechat(tab: Tab, code: string, state = tab.storage.get(STATE_KEY)): Tab {
  const back = new URL(tab.href)
  back.searchParams.set('code', code)
  if (state !== undefined) back.searchParams.set('state', state)
  return fakeTab(back.href, tab.storage)
}

/** Whether a promise has settled after the pending microtasks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false
  promise.then(
    () => (done = true),
    () => (done = true),
  )
  await new Promise((resolve) => setTimeout(resolve, 0))
  return done
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(isAuthError(error)).toBe(true)
  return error as { code: string; message: string }
}

describe('without a code in the address: off to WeChat’s authorize page', () => {
  it('redirects with the AppID, this page as redirect_uri, snsapi_base and a random state kept in sessionStorage', async () => {
    const tab = fakeTab()
    const code = oauthIn(tab)()
    expect(tab.redirects).toHaveLength(1)
    const state = tab.storage.get(STATE_KEY)
    expect(state).toMatch(/^[0-9a-f]{32}$/)
    expect(tab.redirects[0]).toBe(
      `https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx-oa&redirect_uri=${encodeURIComponent(PAGE)}` +
        `&response_type=code&scope=snsapi_base&state=${state}#wechat_redirect`,
    )
    // The page is leaving: the login waits (bounded by the engine's loginTimeoutMs), it does not fail.
    expect(await settled(code)).toBe(false)
  })

  it('each redirect gets a fresh state', () => {
    const states = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const tab = fakeTab()
      oauthIn(tab).authorize()
      states.add(tab.storage.get(STATE_KEY)!)
    }
    expect(states.size).toBe(20)
  })

  it('authorizeBase (a mock), scope and redirectUri are configurable', () => {
    const tab = fakeTab()
    oauthIn(tab, {
      authorizeBase: 'http://127.0.0.1:3001//', // trailing slashes are trimmed, however many
      scope: 'snsapi_userinfo',
      redirectUri: 'https://h5.example.com/cb',
    }).authorize()
    expect(tab.redirects[0]).toMatch(
      /^http:\/\/127\.0\.0\.1:3001\/connect\/oauth2\/authorize\?appid=wx-oa&redirect_uri=https%3A%2F%2Fh5\.example\.com%2Fcb&response_type=code&scope=snsapi_userinfo&state=[0-9a-f]{32}#wechat_redirect$/,
    )
  })

  it('the state is the browser’s random bytes, two hex digits each: no bit of the 128 is lost', () => {
    const tab = fakeTab()
    const counting = { getRandomValues: (bytes: Uint8Array) => bytes.map((_, i) => i) }
    wechatOAuth({ appId: 'wx-oa', host: { browser: { ...tab.browser, crypto: counting }, now: () => 1 } }).authorize()
    expect(tab.storage.get(STATE_KEY)).toBe('000102030405060708090a0b0c0d0e0f')
    expect(new URL(tab.redirects[0] as string).searchParams.get('state')).toBe('000102030405060708090a0b0c0d0e0f')
  })

  it('keeps the page’s other query parameters, in order, on the way to WeChat and back', async () => {
    const page = 'https://h5.example.com/app/?from=menu&utm_source=share#/pages/index/index'
    const tab = fakeTab(page)
    oauthIn(tab).authorize()
    expect(redirectUriOf(tab)).toBe(page)
    const back = backFromWechat(tab, 'c-params')
    await expect(oauthIn(back)()).resolves.toBe('c-params')
    expect(back.href).toBe(page)
  })

  it('works with the history router’s address (no `#`, no query): nothing is added or cut', async () => {
    const page = 'https://h5.example.com/pages/orders/index'
    const tab = fakeTab(page)
    oauthIn(tab).authorize()
    expect(redirectUriOf(tab)).toBe(page)
    const back = fakeTab(`${page}?code=c3&state=${tab.storage.get(STATE_KEY)}`, tab.storage)
    await expect(oauthIn(back)()).resolves.toBe('c3')
    expect(back.href).toBe(page)
  })

  it('declares its codes as h5-weixin codes of its AppID, for the login request', () => {
    expect(oauthIn(fakeTab()).target).toEqual({ platform: 'h5-weixin', appId: 'wx-oa' })
  })

  it.each([
    ['an empty AppID', ''],
    ['no AppID (a JavaScript caller, an unset env variable)', undefined],
    ['a numeric AppID', 42],
  ])('refuses %s with a typed error naming the option', (_, appId) => {
    expect(() => wechatOAuth({ appId } as unknown as WechatOAuthOptions)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('`appId`') }),
    )
  })
})

describe('back from WeChat with ?code&state', () => {
  it('hands over the code when the state matches, and takes both out of the address bar at once', async () => {
    const start = fakeTab()
    expect(oauthIn(start).hasCode).toBe(false)
    oauthIn(start)()
    const back = backFromWechat(start, 'wx-code-1')
    expect(back.href).toContain('code=wx-code-1')
    const oauth = oauthIn(back)
    // A code waits: after an explicit logout the app calls relogin() for it (nothing logs in by itself).
    expect(oauth.hasCode).toBe(true)
    // Before anything asks for a code: a restored session would leave the code in the address otherwise.
    expect(back.href).toBe(PAGE)
    expect(back.storage.has(STATE_KEY)).toBe(false) // consumed: the same state never validates twice
    await expect(oauth()).resolves.toBe('wx-code-1')
    expect(oauth.hasCode).toBe(false)
    expect(back.redirects).toEqual([])
  })

  it('works with the hash router’s address as WeChat builds it (query before #)', async () => {
    const tab = fakeTab('https://h5.example.com/#/pages/orders/index')
    oauthIn(tab).authorize()
    expect(redirectUriOf(tab)).toBe('https://h5.example.com/#/pages/orders/index')
    const back = fakeTab(`https://h5.example.com/?code=c2&state=${tab.storage.get(STATE_KEY)}#/pages/orders/index`, tab.storage)
    await expect(oauthIn(back)()).resolves.toBe('c2')
    expect(back.href).toBe('https://h5.example.com/#/pages/orders/index')
  })

  it.each([
    ['a forged state', true, (tab: Tab) => backFromWechat(tab, 'stolen', 'f'.repeat(32))],
    ['no state', true, (tab: Tab) => fakeTab(`${tab.href.replace('#', '&code=c#')}`, tab.storage)],
    ['a state this tab never stored (another tab, a shared link)', false, (tab: Tab) => backFromWechat(tab, 'c', 'a'.repeat(32))],
  ])('refuses %s with a typed error, removes it from the address and does not redirect', async (_, redirectedFirst, arrive) => {
    const start = fakeTab()
    if (redirectedFirst) oauthIn(start).authorize()
    const back = arrive(start)
    const oauth = oauthIn(back)
    expect(oauth.hasCode).toBe(false) // a refused code is no code to log in with
    const error = await refusal(oauth())
    expect(error.code).toBe('LOGIN_PLATFORM_FAILED')
    expect(error.message).toMatch(/^WeChat OAuth: /)
    expect(error.message).toContain('the `state` in the address is not the one this tab sent')
    expect(back.href).toBe(PAGE)
    expect(back.redirects).toEqual([])
    // The engine asks again (its next attempt): still no automatic redirect, so no loop.
    await refusal(oauth())
    expect(back.redirects).toEqual([])
  })

  it('a malformed link (a broken escape) does not break the app’s start: it is cleaned up and refused', async () => {
    const back = fakeTab('https://h5.example.com/?code=%E0%A4%A&state=%ZZ#/pages/index/index')
    const oauth = oauthIn(back)
    expect(back.href).toBe('https://h5.example.com/#/pages/index/index')
    await refusal(oauth())
  })

  it('an empty parameter next to them (`?&code…`) leaves no stray `?` behind', async () => {
    const tab = fakeTab('https://h5.example.com/#/pages/index/index')
    oauthIn(tab).authorize()
    const back = fakeTab(`https://h5.example.com/?&code=c4&state=${tab.storage.get(STATE_KEY)}#/pages/index/index`, tab.storage)
    await expect(oauthIn(back)()).resolves.toBe('c4')
    expect(back.href).toBe('https://h5.example.com/#/pages/index/index')
  })

  it('reads the code as URLSearchParams writes it (a mock authorize page): `+` is a space, `%2B` a plus', async () => {
    const start = fakeTab()
    oauthIn(start).authorize()
    const back = backFromWechat(start, 'mock code+1')
    expect(back.href).toContain('code=mock+code%2B1')
    await expect(oauthIn(back)()).resolves.toBe('mock code+1')
  })

  it('a code with a broken escape under the right state is handed over as written, for the backend to judge', async () => {
    const start = fakeTab('https://h5.example.com/#/pages/index/index')
    oauthIn(start).authorize()
    const back = fakeTab(`https://h5.example.com/?code=%E0%A4%A&state=${start.storage.get(STATE_KEY)}#/pages/index/index`, start.storage)
    await expect(oauthIn(back)()).resolves.toBe('%E0%A4%A')
  })

  it('keeps its marks under its own keys in sessionStorage and leaves the app’s entries alone', async () => {
    const start = fakeTab(PAGE, new Map([['app:cart', '[1,2]']]))
    oauthIn(start).authorize()
    const oauth = oauthIn(backFromWechat(start, 'c-keys'))
    await expect(oauth()).resolves.toBe('c-keys')
    expect([...start.storage.keys()].sort()).toEqual(['app:cart', RETURN_KEY])
    expect(start.storage.get('app:cart')).toBe('[1,2]')
  })

  it('a user who refused to authorize (state but no code) gets a typed error', async () => {
    const start = fakeTab()
    oauthIn(start).authorize()
    const back = fakeTab(start.href.replace('#', `&state=${start.storage.get(STATE_KEY)}#`), start.storage)
    expect((await refusal(oauthIn(back)())).message).toContain('without a code')
  })
})

describe('a code is used once, and a refused code does not loop', () => {
  function loggedInTab(at: () => number) {
    const start = fakeTab()
    oauthIn(start, { at }).authorize()
    const back = backFromWechat(start, 'c-once')
    return { back, oauth: oauthIn(back, { at }) }
  }

  /** The tab WeChat sends `tab` back to after its latest redirect (the state it stored). */
  const returnTo = (tab: Tab, code: string) => fakeTab(backToHref(tab, code), tab.storage)
  const backToHref = (tab: Tab, code: string) => {
    const back = new URL(decodeURIComponent(/redirect_uri=([^&]+)/.exec(tab.redirects.at(-1) ?? '')?.[1] ?? ''))
    back.searchParams.set('code', code)
    back.searchParams.set('state', tab.storage.get(STATE_KEY) ?? '')
    return back.href
  }

  it('a reload does not resend the code: it is gone from the address and its state is consumed', async () => {
    const now = 1_000_000
    const { back, oauth } = loggedInTab(() => now)
    await expect(oauth()).resolves.toBe('c-once')
    const reloaded = fakeTab(back.href, back.storage)
    expect(reloaded.href).not.toContain('c-once')
    // The reload asks for a code: a fresh one from WeChat, never the old one.
    void oauthIn(reloaded, { at: () => now })()
    expect(reloaded.redirects).toHaveLength(1)
    expect(reloaded.redirects[0]).not.toContain('c-once')
  })

  it('a code the backend refused: one more round trip to WeChat, then a typed error instead of a loop', async () => {
    let now = 1_000_000
    const { back, oauth } = loggedInTab(() => now)
    await expect(oauth()).resolves.toBe('c-once') // …and the backend answers 4xx
    now += 1_000 // the engine's next attempt, after its backoff: one more redirect
    void oauth()
    expect(back.redirects).toHaveLength(1)
    now += 1_000
    const second = returnTo(back, 'c-twice')
    const again = oauthIn(second, { at: () => now })
    await expect(again()).resolves.toBe('c-twice') // refused as well
    now += 1_000
    expect((await refusal(again())).message).toContain('not redirecting again automatically')
    now += 58_999 // still within a minute of the last return
    await refusal(again())
    expect(second.redirects).toEqual([])
    now += 1 // a minute after the last return (any session of that code has long ended): redirects again
    void again()
    expect(second.redirects).toHaveLength(1)
  })

  it('a relogin soon after a login (logout, then Log in) gets its one round trip', async () => {
    const now = 1_000_000
    const { back, oauth } = loggedInTab(() => now)
    await expect(oauth()).resolves.toBe('c-once') // accepted: a session
    void oauth() // logout(), then relogin(): a new code is needed
    expect(back.redirects).toHaveLength(1)
  })

  it('the cooldown holds in memory when sessionStorage forgets (storage blocked or cleared)', async () => {
    const start = fakeTab()
    oauthIn(start).authorize()
    const back = backFromWechat(start, 'c')
    const forgetful = { ...back.browser, sessionStorage: { getItem: () => null, setItem() {}, removeItem() {} } }
    const oauth = wechatOAuth({ appId: 'wx-oa', host: { browser: forgetful, now: () => 5 } })
    await refusal(oauth()) // no stored state to match
    await refusal(oauth())
    expect(back.redirects).toEqual([])
  })

  it('a sessionStorage that throws (blocked) is survived: typed errors, no loop, no crash at start', async () => {
    const start = fakeTab()
    const failing = () => {
      throw new Error('SecurityError: storage is blocked')
    }
    const blocked = { getItem: failing, setItem: failing, removeItem: failing }
    const first = wechatOAuth({ appId: 'wx-oa', host: { browser: { ...start.browser, sessionStorage: blocked }, now: () => 5 } })
    void first()
    expect(start.redirects).toHaveLength(1) // the state could not be kept…
    const back = fakeTab(`${PAGE.replace('#', '&code=c&state=s#')}`)
    const oauth = wechatOAuth({ appId: 'wx-oa', host: { browser: { ...back.browser, sessionStorage: blocked }, now: () => 6 } })
    await refusal(oauth()) // …so its code is refused
    await refusal(oauth())
    expect(back.redirects).toEqual([])
  })

  it('a return redirectCooldownMs or more after the previous one starts afresh: one more round trip', async () => {
    let now = 1_000_000
    const { back, oauth } = loggedInTab(() => now)
    await expect(oauth()).resolves.toBe('c-once')
    now += 1_000
    void oauth() // the one round trip of that return…
    expect(back.redirects).toHaveLength(1)
    now = 1_000_000 + 60_000 // …came back a full minute after it (a slow consent page)
    const late = returnTo(back, 'c-late')
    const again = oauthIn(late, { at: () => now })
    await expect(again()).resolves.toBe('c-late') // …and the backend refused it
    now += 1_000
    void again()
    expect(late.redirects).toHaveLength(1)
  })

  it('a sessionStorage that keeps an old return but refuses writes (quota full): the newer return in memory counts', async () => {
    const old = JSON.stringify({ at: 1, accepted: true, retried: false })
    const back = fakeTab(PAGE.replace('#', '&code=c&state=s#'), new Map([[RETURN_KEY, old]]))
    const full = () => {
      throw new Error('QuotaExceededError')
    }
    const sessionStorage = { ...back.browser.sessionStorage, setItem: full, removeItem: full }
    const oauth = wechatOAuth({ appId: 'wx-oa', host: { browser: { ...back.browser, sessionStorage }, now: () => 1_000_000 } })
    await refusal(oauth()) // the state could not have been kept: refused
    expect((await refusal(oauth())).message).toContain('not redirecting again automatically')
    expect(back.redirects).toEqual([])
  })

  it('two helpers in one tab share its round trip: the loop bound is the tab’s', async () => {
    const start = fakeTab()
    oauthIn(start).authorize()
    const back = backFromWechat(start, 'c-shared')
    const first = oauthIn(back)
    const second = oauthIn(back) // the address is clean by now: no code of its own
    expect(second.hasCode).toBe(false)
    await expect(first()).resolves.toBe('c-shared')
    void second() // logout, relogin: the one round trip
    expect(back.redirects).toHaveLength(1)
    expect((await refusal(first())).message).toContain('not redirecting again automatically')
    expect(back.redirects).toHaveLength(1)
  })

  it.each([
    ['not JSON', '{"at":'],
    ['null', 'null'],
    ['a time that is not a number', '{"at":"999999","accepted":false,"retried":true}'],
  ])('a damaged or foreign record under its key (%s) is ignored: the login still goes to WeChat', (_, record) => {
    const tab = fakeTab(PAGE, new Map([[RETURN_KEY, record]]))
    void oauthIn(tab)()
    expect(tab.redirects).toHaveLength(1)
  })

  it('authorize() always redirects: the way out of the cooldown is a user action', async () => {
    const { back, oauth } = loggedInTab(() => 1_000_000)
    await oauth()
    oauth.authorize()
    expect(back.redirects).toHaveLength(1)
  })
})

describe('in a real DOM (happy-dom)', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('without `host` it uses the page’s own window and clock', async () => {
    const window = new Window({ url: 'https://h5.example.com/?code=global-code&state=s2#/pages/index/index' })
    window.sessionStorage.setItem(STATE_KEY, 's2')
    vi.stubGlobal('location', window.location)
    vi.stubGlobal('history', window.history)
    vi.stubGlobal('sessionStorage', window.sessionStorage)
    const oauth = wechatOAuth({ appId: 'wx-oa' })
    expect(window.location.href).toBe('https://h5.example.com/#/pages/index/index')
    await expect(oauth()).resolves.toBe('global-code')
    expect(JSON.parse(window.sessionStorage.getItem(RETURN_KEY) ?? 'null')).toMatchObject({ at: expect.any(Number), accepted: true })
    await window.happyDOM.close()
  })

  it('window fits BrowserLike: the code leaves the address bar through history.replaceState', async () => {
    const window = new Window({ url: 'https://h5.example.com/?code=dom-code&state=s1#/pages/index/index' })
    window.sessionStorage.setItem(STATE_KEY, 's1')
    window.history.replaceState({ position: 3 }, '', window.location.href)
    const oauth = wechatOAuth({ appId: 'wx-oa', host: { browser: window as unknown as BrowserLike } })
    expect(window.location.href).toBe('https://h5.example.com/#/pages/index/index')
    expect(window.history.state).toEqual({ position: 3 })
    await expect(oauth()).resolves.toBe('dom-code')
    expect(window.sessionStorage.getItem(STATE_KEY)).toBeNull()
    await window.happyDOM.close()
  })
})
