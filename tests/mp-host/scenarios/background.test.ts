import { describe, expect, it } from 'vitest'
import { launchAndLoad, logLines, startHost } from './support'

const RECHECK_AFTER_MS = 300_000 // the plugin's default recheckAfterBackgroundMs

/** Runs `load` and waits for its log line. */
async function load(host: ReturnType<typeof startHost>): Promise<void> {
  const before = logLines(host).length
  host.page.tap('load')
  await host.until(() => logLines(host).length > before, { what: 'GET /me' })
}

describe('app hide / show', () => {
  it('a long stay in the background checks the WeChat session once more; a short one does not', async () => {
    const host = startHost()
    await launchAndLoad(host)
    // The cold start logged in, so the WeChat session is fresh: no check yet.
    expect(host.fake.calls.count('checkSession')).toBe(0)

    host.hide()
    await host.advance(RECHECK_AFTER_MS - 1000)
    host.show()
    await load(host)
    expect(host.fake.calls.count('checkSession')).toBe(0)

    host.hide()
    await host.advance(RECHECK_AFTER_MS)
    host.show()
    await load(host)
    await load(host)
    expect(host.fake.calls.count('checkSession')).toBe(1)
    expect(host.fake.calls.count('login')).toBe(1)
    expect(logLines(host).slice(0, 3)).toEqual(['GET /me → 200', 'GET /me → 200', 'GET /me → 200'])
  })
})
