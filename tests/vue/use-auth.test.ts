// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, h, nextTick } from 'vue'
import { createUniAuth, useAuth, useAuthLifecycle, useAuthStore } from '../../src'
import { createAuthGuard } from '../../src/guard'
import { setActiveContext } from '../../src/vue/auth-context'
import { deferred, flush } from '../../testkit/harness/deferred'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'
import { freshAppUni } from '../../testkit/harness/real-uni'
import { fireLifecycle, resetLifecycle } from '../../src/testing/uni-app'

const Status = defineComponent({
  setup() {
    const auth = useAuth()
    return () =>
      h('div', [
        h('span', { id: 'status' }, auth.status.value),
        h('span', { id: 'who' }, auth.isLoggedIn.value ? `in:${String(auth.user.value?.id)}` : 'out'),
        h('button', { id: 'logout', onClick: () => auth.logout() }),
      ])
  },
})

function mountWithAuth(options: Parameters<typeof createUniAuth>[0]) {
  const pinia = createPinia()
  const plugin = createUniAuth(options)
  const wrapper = mount(Status, { global: { plugins: [pinia, plugin] } })
  return { wrapper, plugin, pinia }
}

describe('useAuth() in a component', () => {
  beforeEach(() => {
    setActiveContext(undefined)
    resetLifecycle()
  })
  afterEach(() => setActiveContext(undefined))

  it('re-renders on login and on logout', async () => {
    const fake = await freshAppUni()
    const gate = deferred<{ token: string; user: { id: string } }>()
    const { wrapper } = mountWithAuth({ host: { uni: fake.uni, storage: createMemoryStorage() }, login: () => gate.promise })
    expect(wrapper.get('#who').text()).toBe('out')
    const pending = useAuth().ensureSession()
    await flush()
    await nextTick()
    expect(wrapper.get('#status').text()).toBe('logging-in')
    gate.resolve({ token: 't1', user: { id: 'u7' } })
    await pending
    await nextTick()
    expect(wrapper.get('#who').text()).toBe('in:u7')
    expect(wrapper.get('#status').text()).toBe('authenticated')
    await wrapper.get('#logout').trigger('click')
    expect(wrapper.get('#who').text()).toBe('out')
    expect(wrapper.get('#status').text()).toBe('logged-out')
  })

  it('shows a stored session at once after a restart (restored into the store)', async () => {
    const storage = createMemoryStorage()
    const first = mountWithAuth({
      host: { uni: (await freshAppUni()).uni, storage },
      login: async () => ({ token: 't', user: { id: 'u1' } }),
    })
    await useAuth().ensureSession()
    first.wrapper.unmount()
    const { wrapper } = mountWithAuth({ host: { uni: (await freshAppUni()).uni, storage }, login: async () => ({ token: 'never' }) })
    expect(wrapper.get('#who').text()).toBe('in:u1')
  })

  it('puts a failed login into store.error with its code', async () => {
    const { pinia } = mountWithAuth({
      host: { uni: (await freshAppUni()).uni, storage: createMemoryStorage() },
      login: () => Promise.reject(new Error('500')),
    })
    await useAuth()
      .ensureSession()
      .catch(() => {})
    const store = useAuthStore(pinia)
    expect(store.error?.code).toBe('LOGIN_EXCHANGE_FAILED')
    expect(store.status).toBe('failed')
  })

  it('app.use(createUniAuth()) before Pinia fails with a message saying how to fix it', async () => {
    const { uni } = await freshAppUni()
    const app = createApp({ render: () => null })
    expect(() => app.use(createUniAuth({ host: { uni }, login: '/login' }))).toThrow(/app\.use\(createPinia\(\)\) before/)
  })

  it('useAuth() before the plugin is installed fails with a typed error', () => {
    expect(() => useAuth()).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })

  it('works outside components once installed (request helpers, guards)', async () => {
    setActivePinia(createPinia())
    mountWithAuth({ host: { uni: (await freshAppUni()).uni, storage: createMemoryStorage() }, login: async () => ({ token: 'outside' }) })
    const session = await useAuth().ensureSession()
    expect(session.token).toBe('outside')
  })

  it('installs the uni interceptors for request, uploadFile and downloadFile', async () => {
    const fake = await freshAppUni()
    mountWithAuth({ host: { uni: fake.uni, storage: createMemoryStorage() }, login: '/login' })
    expect([...fake.intercepted].sort()).toEqual(['downloadFile', 'request', 'uploadFile'])
  })

  it.each([
    [{}, /`login` must be string\|function/],
    [{ login: '' }, /`login` must be string\|function/],
    [{ login: 42 }, /`login` must be/],
    [{ loginUrl: '/l' }, /`loginUrl` is not an option/],
    [{ login: '/l', exchange: async () => ({}) }, /`exchange` is not an option/],
    [{ login: '/l', refresh: null }, /`refresh` must be string\|function/],
    [{ login: '/l', header: 'Authorization' }, /`header` must be function/],
    [{ login: '/l', maxReplays: -1 }, /maxReplays/],
    [{ login: '/l', maxReplays: 1.5 }, /maxReplays/],
    [{ login: '/l', engine: { loginTimeoutMs: 0 } }, /engine\.loginTimeoutMs/],
    [{ login: '/l', engine: { loginTimeoutMs: Number.NaN } }, /engine\.loginTimeoutMs/],
    [{ login: '/l', engine: { backoffMs: -1 } }, /engine\.backoffMs/],
    [{ login: '/l', engine: { sessionCheck: 'sometimes' } }, /engine\.sessionCheck/],
    [{ login: '/l', engine: { storageKey: '' } }, /engine\.storageKey/],
    [{ login: '/l', engine: { backoff: { baseMs: 1 } } }, /engine\.backoff/],
    [{ login: '/l', skip: 'nope' }, /`skip` must be array\|function/],
    [{ login: '/l', skip: [42] }, /skip/],
    [{ login: '/l', debug: 'yes' }, /`debug` must be boolean/],
  ])('bad options %j are refused with INVALID_OPTIONS', async (options, message) => {
    const { uni } = await freshAppUni()
    const app = createApp({ render: () => null })
    app.use(createPinia())
    const install = () => app.use(createUniAuth({ host: { uni }, ...(options as object) } as never))
    expect(install).toThrow(message)
    expect(install).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
  })
})

describe('useAuthLifecycle()', () => {
  beforeEach(() => resetLifecycle())

  it('checks the session on launch, and a failed start-up login lands in the store instead of throwing', async () => {
    let calls = 0
    const App = defineComponent({
      setup() {
        useAuthLifecycle()
        return () => null
      },
    })
    const pinia = createPinia()
    mount(App, {
      global: {
        plugins: [
          pinia,
          createUniAuth({
            host: { uni: (await freshAppUni()).uni, storage: createMemoryStorage() },
            login: async () => {
              calls++
              throw new Error('backend down')
            },
          }),
        ],
      },
    })
    expect(calls).toBe(0)
    fireLifecycle('onLaunch')
    await flush()
    expect(calls).toBe(1)
    expect(useAuthStore(pinia).error?.code).toBe('LOGIN_EXCHANGE_FAILED')
  })
})

describe('createAuthGuard() installed on a Vue app', () => {
  it('adds one app-wide mixin with the page hooks onLoad and onShow, after createUniAuth', async () => {
    const { uni } = await freshAppUni()
    const app = createApp({ render: () => null })
    app.use(createPinia())
    app.use(createUniAuth({ host: { uni, storage: createMemoryStorage() }, login: '/l' }))
    app.use(createAuthGuard({ pages: ['pages/orders/index'], loginPage: '/pages/login/index' }))
    const mixins = (app._context as unknown as { mixins: Array<Record<string, unknown>> }).mixins
    expect(mixins).toHaveLength(1)
    expect(Object.keys(mixins[0]!).sort()).toEqual(['onLoad', 'onShow'])
  })
})

describe('the global uni of an H5 production build', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('an empty global uni (H5 tree-shaking) is refused with INVALID_OPTIONS, not a TypeError', () => {
    vi.stubGlobal('uni', {})
    const app = createApp({ render: () => null })
    app.use(createPinia())
    const install = () => app.use(createUniAuth({ login: '/auth/login' }))
    expect(install).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }))
    expect(install).toThrow(/uni\.request is missing/)
  })

  it('reads each API from the global by name, so a complete global works without the `uni` option', async () => {
    const fake = await freshAppUni()
    vi.stubGlobal('uni', fake.uni)
    const app = createApp({ render: () => null })
    app.use(createPinia())
    app.use(createUniAuth({ login: '/auth/login', host: { storage: createMemoryStorage() } }))
    expect([...fake.intercepted].sort()).toEqual(['downloadFile', 'request', 'uploadFile'])
  })
})
