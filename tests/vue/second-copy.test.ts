// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createUniAuth } from '../../src'
import { createAuthTimeline } from '../../src/timeline'
import { type TimelineRecorder, useTimelineRecorder } from '../../src/timeline/timeline-recorder'
import { setActiveContext } from '../../src/vue/auth-context'
import { flush } from '../../testkit/harness/deferred'
import { createMemoryStorage } from '../../testkit/doubles/memory-storage'
import { freshAppUni } from '../../testkit/harness/real-uni'

/**
 * A second instance of the library's modules, as Vite's dev server produces when it pre-bundles the
 * entry points but serves `<AuthTimeline>`'s raw imports (docs/ARCHITECTURE.md, "Layers").
 */
async function secondCopy() {
  vi.resetModules()
  const [useAuthModule, recorderModule] = await Promise.all([
    import('../../src/vue/use-auth'),
    import('../../src/timeline/timeline-recorder'),
  ])
  return { useAuth: useAuthModule.useAuth, useTimelineRecorder: recorderModule.useTimelineRecorder }
}

describe('one library however the bundler splits it', () => {
  afterEach(() => setActiveContext(undefined))

  it('a second copy of useAuth() finds the installed plugin, in a component and outside one', async () => {
    const fake = await freshAppUni()
    const plugin = createUniAuth({ host: { uni: fake.uni, storage: createMemoryStorage() }, login: async () => ({ token: 't1' }) })
    const copy = await secondCopy()
    let inComponent: ReturnType<typeof copy.useAuth> | undefined
    const Probe = defineComponent({
      setup() {
        inComponent = copy.useAuth()
        return () => h('span', inComponent!.status.value)
      },
    })
    const wrapper = mount(Probe, { global: { plugins: [createPinia(), plugin] } })
    await inComponent!.ensureSession()
    await flush()
    expect(copy.useAuth().token.value).toBe('t1')
    expect(inComponent!.token.value).toBe('t1')
    await wrapper.vm.$nextTick()
    expect(wrapper.text()).toBe('authenticated')
  })

  it('a second copy of the timeline recorder finds the app’s recorder, not one of its own', async () => {
    const fake = await freshAppUni()
    const plugin = createUniAuth({ host: { uni: fake.uni, storage: createMemoryStorage() }, login: async () => ({ token: 't1' }) })
    const copy = await secondCopy()
    const seen: TimelineRecorder[] = []
    const Probe = defineComponent({
      setup() {
        seen.push(useTimelineRecorder(), copy.useTimelineRecorder())
        return () => h('span')
      },
    })
    mount(Probe, { global: { plugins: [createPinia(), plugin, createAuthTimeline()] } }).unmount()
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0])
  })
})
