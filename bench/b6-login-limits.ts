/**
 * B6: the login limits against one carrier NAT address. For each upstream latency of the mock
 * WeChat (0 / 300 / 1000 ms): 200 simultaneous valid logins from one address (how many refused,
 * and the slowest answer, which must stay inside the client's 10 s login deadline), and 200
 * simultaneous junk codes from one address (how many code2Session calls they cost). In process,
 * through fastify's inject; the standalone server's defaults otherwise. Part of `npm run bench`
 * (bench/run.ts), or alone:
 *
 *   npx tsx bench/b6-login-limits.ts
 */
import { performance } from 'node:perf_hooks'
import { buildMockWechat } from '../server/mock-wechat/app'
import { buildApp } from '../server/src/app'
import { loadConfig } from '../server/src/config/environment'

const APPID = 'wx0000000000bench06'
const SECRET = 'bench-app-secret-0123456789abcdef'
const ADDRESS = '100.64.7.7'
const LOGINS = 200

export interface LoginLimitsRow {
  latencyMs: number
  validRefused: number
  validFailed: number
  slowestValidMs: number
  junkUpstreamCalls: number
  junkRefused: number
}

async function measure(latencyMs: number): Promise<LoginLimitsRow> {
  const mock = buildMockWechat({ appId: APPID, secret: SECRET })
  const mockUrl = await mock.app.listen({ host: '127.0.0.1', port: 0 })
  const config = loadConfig({ WX_APPID: APPID, WX_SECRET: SECRET, WX_API_BASE: mockUrl, STORE_URL: 'sqlite::memory:' })
  const app = await buildApp(config, { logger: false })
  try {
    const login = async (code: string) => {
      const started = performance.now()
      const response = await app.inject({ method: 'POST', url: '/auth/login', payload: { code }, remoteAddress: ADDRESS })
      return { status: response.statusCode, ms: performance.now() - started }
    }
    mock.faults.arm({ endpoint: 'jscode2session', latencyMs, count: 2 * LOGINS })

    const codes = Array.from({ length: LOGINS }, () => mock.state.mintLoginCode({}).code)
    const valid = await Promise.all(codes.map(login))

    const before = mock.state.calls.jscode2session
    const junk = await Promise.all(Array.from({ length: LOGINS }, (_, i) => login(`junk-${latencyMs}-${i}`)))
    return {
      latencyMs,
      validRefused: valid.filter((r) => r.status === 429).length,
      validFailed: valid.filter((r) => r.status !== 200).length,
      slowestValidMs: Math.round(Math.max(...valid.map((r) => r.ms))),
      junkUpstreamCalls: mock.state.calls.jscode2session - before,
      junkRefused: junk.filter((r) => r.status === 429).length,
    }
  } finally {
    await app.close()
    await mock.app.close()
  }
}

export const B6_LATENCIES_MS = [0, 300, 1000] as const

/** One row per upstream latency, in order. */
export async function runLoginLimitsBenchmark(): Promise<LoginLimitsRow[]> {
  const rows: LoginLimitsRow[] = []
  for (const latencyMs of B6_LATENCIES_MS) rows.push(await measure(latencyMs))
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runLoginLimitsBenchmark()
  console.log('| upstream latency | valid logins refused (of 200) | not 200 | slowest valid answer | junk codes: upstream calls (of 200) |')
  console.log('| ---------------- | ----------------------------- | ------- | -------------------- | ----------------------------------- |')
  for (const row of rows) {
    console.log(`| ${row.latencyMs} ms | ${row.validRefused} | ${row.validFailed} | ${row.slowestValidMs} ms | ${row.junkUpstreamCalls} |`)
  }
}
