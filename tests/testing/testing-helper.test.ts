// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, onMounted, ref } from 'vue'
import { useAuth } from '../../src'
import { createTestingAuth } from '../../src/testing'

/** A page as users write it: status from useAuth(), data from a plain uni.request. */
const Orders = defineComponent({
  setup() {
    const { status, isLoggedIn, user, logout } = useAuth()
    const answer = ref('…')
    onMounted(() => {
      uni.request({ url: '/orders', success: (res) => (answer.value = String(res.statusCode)) })
    })
    return () =>
      h('div', [
        h('p', { id: 'status' }, `status: ${status.value}`),
        h('p', { id: 'who' }, isLoggedIn.value ? String(user.value?.id) : 'out'),
        h('p', { id: 'answer' }, answer.value),
        h('button', { onClick: logout }),
      ])
  },
})

describe('createTestingAuth() for users’ own component tests', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('a seeded session renders as authenticated, and the component’s request carries its token', async () => {
    const auth = createTestingAuth({ session: { token: 't', user: { id: 'alice' } } })
    const wrapper = mount(Orders, { global: { plugins: [createPinia(), auth] } })
    await flushPromises()
    expect(wrapper.get('#status').text()).toBe('status: authenticated')
    expect(wrapper.get('#who').text()).toBe('alice')
    expect(wrapper.get('#answer').text()).toBe('200')
    expect(auth.requests.map((r) => [r.url, r.header.Authorization])).toEqual([['/orders', 'Bearer t']])
    expect(auth.logins).toBe(0)
  })

  it('a 401 leads to one renewal and one replay, and the component sees the replayed answer', async () => {
    const auth = createTestingAuth()
    auth.expireTokens()
    const wrapper = mount(Orders, { global: { plugins: [createPinia(), auth] } })
    await flushPromises()
    expect(auth.requests.map((r) => [r.header.Authorization, r.tokenValid])).toEqual([
      ['Bearer test-token', false],
      ['Bearer test-token-1', true],
    ])
    expect(auth.logins).toBe(1)
    expect(wrapper.get('#answer').text()).toBe('200')
  })

  it('starts logged out with session: null; the first request waits for the fake login', async () => {
    const auth = createTestingAuth({ session: null, login: async () => ({ token: 'fresh', user: { id: 'bob' } }) })
    const wrapper = mount(Orders, { global: { plugins: [createPinia(), auth] } })
    expect(wrapper.get('#who').text()).toBe('out')
    await flushPromises()
    expect(wrapper.get('#who').text()).toBe('bob')
    expect(auth.requests.map((r) => r.token)).toEqual(['fresh'])
    await wrapper.get('button').trigger('click')
    expect(wrapper.get('#who').text()).toBe('out')
  })

  it('respond() scripts the backend; promise-form requests work too', async () => {
    const auth = createTestingAuth({ respond: (request) => ({ statusCode: 200, data: { path: request.url, method: request.method } }) })
    mount(Orders, { global: { plugins: [createPinia(), auth] } })
    const res = (await uni.request({ url: '/ping', method: 'POST' })) as { data: unknown }
    expect(res.data).toEqual({ path: '/ping', method: 'POST' })
  })
})
