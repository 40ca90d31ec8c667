import { describe, expect, it } from 'vitest'
import { API, argsOf, authOf, bearer, startHost } from './support'

describe("the app's own request interceptor, registered after the plugin's", () => {
  it('runs exactly once per request, also for requests that waited for the login', async () => {
    const host = startHost({ behaviour: { latency: { login: 100 } } })
    host.launch()
    let invocations = 0
    const addInterceptor = host.uni.addInterceptor as (method: string, interceptor: object) => void
    // Not idempotent on purpose: applied twice, the URL would carry the parameter twice.
    addInterceptor('request', {
      invoke(args: { url: string; header?: Record<string, string> }) {
        invocations += 1
        args.url += `${args.url.includes('?') ? '&' : '?'}app=demo`
        args.header = { ...args.header, 'X-App': 'demo' }
      },
    })
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) host.uni.request({ url: '/me', success: (res: { statusCode: number }) => statuses.push(res.statusCode) })
    await host.until(() => statuses.length === 3, { what: 'three answers' })

    expect(statuses).toEqual([200, 200, 200])
    const me = host.fake.calls.of('request').filter((call) => argsOf(call).url?.startsWith(`${API}/me`))
    // The page's onLoad request was issued before the interceptor existed, but re-issued after it.
    expect(me.map((call) => argsOf(call).url)).toEqual(Array(4).fill(`${API}/me?app=demo`))
    expect(me.map((call) => argsOf(call).header?.['X-App'])).toEqual(Array(4).fill('demo'))
    expect(me.map(authOf)).toEqual(Array(4).fill(bearer(host.backend.issued[0]!.token)))
    expect(invocations).toBe(5) // four /me requests and the login exchange
  })
})
