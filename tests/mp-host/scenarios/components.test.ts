import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEV_DIST_DIR, DIST_DIR } from './paths'
import { callsTo, startHost, waitForLog } from './support'

describe('components on the compiled page, in WeChat’s framework', () => {
  it('<AuthTimeline> after a burst at cold start: one login, the burst’s requests; its clear button empties it', async () => {
    // The development build: production builds leave out the request events the timeline draws.
    const host = startHost({ distDir: DEV_DIST_DIR, behaviour: { latency: { login: 200 } } })
    const page = host.launch()
    page.tap('burst')
    expect(await waitForLog(host, 'burst')).toBe('burst 50 → 50 ok, 0 failed')
    await waitForLog(host, 'GET /me')

    const timeline = page.component('auth-timeline')
    // The timeline redraws with each batch of events: wait until every bar has ended.
    const settled = () => [...timeline.all('.timeline-login'), ...timeline.all('.timeline-request')].every((row) => !row.endsWith('…'))
    await host.until(() => timeline.all('.timeline-request').length === 51 && settled(), { what: 'the finished requests on the timeline' })
    expect(timeline.all('.timeline-login')).toEqual(['login #1 · cold-start · logged-in'])
    const burst = timeline.all('.timeline-request').filter((row) => row.includes('?via=burst-'))
    expect(burst).toHaveLength(50)
    expect(burst).toContain('GET /me?via=burst-50 · 200')
    expect(callsTo(host, '/me')).toHaveLength(51)
    expect(timeline.text('.uma-summary')).toMatch(/^1 login\(s\), 51 request\(s\), \d+ ms$/)

    // A tap inside the component reaches its own handler through the framework.
    timeline.tap('.uma-clear')
    await host.until(() => timeline.all('.timeline-login').length === 0, { what: 'the cleared timeline' })
    expect(timeline.all('.timeline-request')).toEqual([])
    expect(timeline.text('.uma-summary')).toBe('0 login(s), 0 request(s), 0 ms')
  })

  it('the Bind phone button (open-type="getPhoneNumber"): its code binds the phone; a cancelled one binds nothing', async () => {
    const host = startHost()
    const page = host.launch()
    await host.until(() => page.text('status') === 'status: authenticated', { what: 'the launch login' })

    page.fire('phone-button', 'getphonenumber', { errMsg: 'getPhoneNumber:fail user deny' })
    expect(await waitForLog(host, 'phone')).toBe('phone → cancelled')
    page.fire('phone-button', 'getphonenumber', { code: 'phone-1' })
    await host.until(() => page.text('phone') !== 'phone: —', { what: 'the bound phone' })
    expect(page.text('phone')).toBe('phone: 138****8000')
    expect(page.texts('log')[0]).toBe('phone → 138****8000')
    expect(host.backend.counts.phoneBinds).toBe(1)
    expect(callsTo(host, '/auth/phone')).toHaveLength(1)
  })

  it('a component two pages use works on the second page too (the build’s file runs once per app)', async () => {
    // A copy of the build whose help page also lists <auth-timeline> in its usingComponents.
    const dist = join(mkdtempSync(join(tmpdir(), 'mp-host-shared-')), 'mp-weixin')
    cpSync(DIST_DIR, dist, { recursive: true })
    const json = join(dist, 'pages/help/index.json')
    const help = JSON.parse(readFileSync(json, 'utf8')) as { usingComponents?: Record<string, string> }
    writeFileSync(
      json,
      JSON.stringify({ ...help, usingComponents: { ...help.usingComponents, 'auth-timeline': '../../src/timeline/AuthTimeline' } }),
    )
    try {
      const host = startHost({ distDir: dist, launchOptions: { path: 'pages/help/index' } })
      host.launch()
      await host.until(() => host.current.text('help-state') === 'logged in', { what: 'the launch login' })
      const home = host.tapTab('pages/index/index')
      await host.until(() => home.text('status') === 'status: authenticated', { what: 'the home page' })
      const timeline = home.component('auth-timeline')
      await host.until(() => timeline.all('.timeline-login').length > 0, { what: 'the timeline drawn' })
      expect(timeline.all('.timeline-login')).toEqual(['login #1 · cold-start · logged-in'])
    } finally {
      rmSync(join(dist, '..'), { recursive: true, force: true })
    }
  })
})
