// The example of testkit/mp-host/README.md, kept here so it cannot rot (only the import paths differ).

import { afterEach, expect, it, vi } from 'vitest'
import { createFakeBackend, createMpHost } from '../../../testkit/mp-host/index'
import { DIST_DIR } from './paths'

afterEach(() => vi.useRealTimers())

it('logs in once at cold start', async () => {
  vi.useFakeTimers() // before launch(): the build must see the fake timers from the start
  const host = createMpHost({
    distDir: DIST_DIR,
    backend: createFakeBackend({ baseUrl: 'http://127.0.0.1:3000' }), // your app's API base
    behaviour: { latency: { login: 100 } },
    advance: (ms) => vi.advanceTimersByTimeAsync(ms), // omit to run on real time
  })
  try {
    const page = host.launch() // App onLaunch/onShow, then the first page: attached → onLoad → onShow → ready
    page.tap('load') // the element with id="load"
    await host.until(() => page.text('status') === 'status: authenticated')
    expect(host.fake.calls.count('login')).toBe(1)
    expect(host.fake.calls.of('request').at(-1)?.args[0]).toMatchObject({
      header: { Authorization: expect.stringMatching(/^Bearer /) },
    })
  } finally {
    host.dispose() // removes the globals (wx, App, Page, …) and whatever the build added
  }
})
