// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { useAuth } from '../../src'
import { createTestingAuth } from '../../src/testing'

const Who = defineComponent({
  setup() {
    const { isLoggedIn, user, logout } = useAuth()
    return () => h('button', { onClick: logout }, isLoggedIn.value ? String(user.value?.id) : 'out')
  },
})

describe('createTestingAuth() for users’ own component tests', () => {
  it('starts with a logged-in test user, and logout re-renders', async () => {
    const wrapper = mount(Who, {
      global: { plugins: [createPinia(), createTestingAuth({ session: { token: 't', user: { id: 'alice' } } })] },
    })
    expect(wrapper.text()).toBe('alice')
    await wrapper.get('button').trigger('click')
    expect(wrapper.text()).toBe('out')
  })

  it('starts logged out with session: null, and ensureSession() logs in through the fake exchange', async () => {
    const auth = createTestingAuth({ session: null, exchange: async () => ({ token: 'fresh', user: { id: 'bob' } }) })
    const wrapper = mount(Who, { global: { plugins: [createPinia(), auth] } })
    expect(wrapper.text()).toBe('out')
    await expect(useAuth().ensureSession()).resolves.toMatchObject({ token: 'fresh' })
    await nextTick()
    expect(wrapper.text()).toBe('bob')
    expect(auth.calls).toEqual([])
  })
})
