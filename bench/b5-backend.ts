/**
 * B5: the reference backend under autocannon. `POST /auth/login` (each request a fresh mock code,
 * `mock-<name>.<n>`) and `GET /me` at 100 connections; the login's own overhead over the mock
 * WeChat's cost, from sequential single-connection latencies (autocannon's histogram has 1 ms
 * resolution, too coarse for a sub-millisecond overhead). Mock, backends and load generator are
 * separate processes; workloads are interleaved round by round.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import { ROOT } from './b4-size'
import { interleave, median } from './lib/stats'

const MOCK_APPID = 'wx0000000000mock01'
const MOCK_SECRET = 'mock-app-secret-not-for-production'

interface Child {
  url: string
  process: ChildProcess
}

function startChild(args: string[]): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/b5-server-child.ts'), ...args], {
    cwd: join(ROOT, 'server'),
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`B5 child ${args[0]} exited with ${code}`)))
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve({ url: (JSON.parse(line) as { url: string }).url, process: child }),
    )
  })
}

function stop(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.process.removeAllListeners('exit')
    child.process.once('exit', () => resolve())
    child.process.kill('SIGTERM')
  })
}

let codeSerial = 0
const freshCode = () => {
  const n = ++codeSerial
  return `mock-b${n % 1000}.${process.pid}x${n}`
}

export interface LoadFigures {
  reqPerSec: number
  p50Ms: number
  p99Ms: number
  non2xx: number
  errors: number
}

async function cannon(options: autocannon.Options): Promise<LoadFigures> {
  const result = await autocannon({ connections: 100, duration: 4, ...options })
  return {
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 })
function call(url: string, method: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent, headers: body ? { 'content-type': 'application/json', ...headers } : headers }, (res) => {
      let data = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (data += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Median latency (ms) of `count` sequential calls on one keep-alive connection. */
async function sequential(count: number, once: () => Promise<{ status: number }>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const t0 = performance.now()
    const { status } = await once()
    times.push(performance.now() - t0)
    if (status !== 200) throw new Error(`B5 sequential call answered ${status}`)
  }
  return median(times)
}

export interface BackendResults {
  login: LoadFigures
  mockCode2Session: LoadFigures
  me: LoadFigures
  meLogWarn: LoadFigures
  sequentialP50Ms: { login: number; mockCode2Session: number; overhead: number }
  rounds: number
}

type Workload = 'login' | 'mock' | 'me' | 'meWarn' | 'seqLogin' | 'seqMock'

export async function runBackendBenchmark(rounds: number): Promise<BackendResults> {
  const work = join(ROOT, 'bench/.work')
  for (const f of ['b5-info.db', 'b5-warn.db']) for (const s of ['', '-wal', '-shm']) rmSync(join(work, f + s), { force: true })
  const mock = await startChild(['mock'])
  const backend = await startChild(['backend', mock.url, 'info', join(work, 'b5-info.db')])
  const quiet = await startChild(['backend', mock.url, 'warn', join(work, 'b5-warn.db')])
  try {
    const loginOnce = (base: string) => call(`${base}/auth/login`, 'POST', JSON.stringify({ code: freshCode() }))
    const tokenFor = async (base: string) => (JSON.parse((await loginOnce(base)).body) as { token: string }).token
    const [token, quietToken] = [await tokenFor(backend.url), await tokenFor(quiet.url)]
    const code2SessionUrl = (code: string) =>
      `${mock.url}/sns/jscode2session?appid=${MOCK_APPID}&secret=${MOCK_SECRET}&js_code=${encodeURIComponent(code)}&grant_type=authorization_code`
    const loginRequests = [
      {
        method: 'POST' as const,
        path: '/auth/login',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ code: freshCode() }) }),
      },
    ]
    // Warm-up (JIT, SQLite pages), untimed.
    await cannon({ url: backend.url, duration: 1, requests: loginRequests })
    await cannon({ url: `${backend.url}/me`, duration: 1, headers: { authorization: `Bearer ${token}` } })
    await cannon({ url: `${quiet.url}/me`, duration: 1, headers: { authorization: `Bearer ${quietToken}` } })
    const workloads: Workload[] = ['login', 'mock', 'me', 'meWarn', 'seqLogin', 'seqMock']
    const runs = await interleave(workloads, rounds, async (w): Promise<LoadFigures | number> => {
      switch (w) {
        case 'login':
          return cannon({ url: backend.url, requests: loginRequests })
        case 'mock':
          return cannon({
            url: mock.url,
            requests: [
              {
                method: 'GET',
                setupRequest: (req: any) => ({
                  ...req,
                  path: new URL(code2SessionUrl(freshCode())).pathname + new URL(code2SessionUrl(freshCode())).search,
                }),
              },
            ],
          })
        case 'me':
          return cannon({ url: `${backend.url}/me`, headers: { authorization: `Bearer ${token}` } })
        case 'meWarn':
          return cannon({ url: `${quiet.url}/me`, headers: { authorization: `Bearer ${quietToken}` } })
        case 'seqLogin':
          return sequential(1000, () => loginOnce(backend.url))
        case 'seqMock':
          return sequential(1000, () => call(code2SessionUrl(freshCode()), 'GET'))
      }
    })
    const load = (w: Workload): LoadFigures => {
      const list = runs[w] as LoadFigures[]
      return {
        reqPerSec: median(list.map((r) => r.reqPerSec)),
        p50Ms: median(list.map((r) => r.p50Ms)),
        p99Ms: median(list.map((r) => r.p99Ms)),
        non2xx: list.reduce((sum, r) => sum + r.non2xx, 0),
        errors: list.reduce((sum, r) => sum + r.errors, 0),
      }
    }
    const seqLogin = median(runs.seqLogin as number[])
    const seqMock = median(runs.seqMock as number[])
    return {
      login: load('login'),
      mockCode2Session: load('mock'),
      me: load('me'),
      meLogWarn: load('meWarn'),
      sequentialP50Ms: { login: seqLogin, mockCode2Session: seqMock, overhead: seqLogin - seqMock },
      rounds,
    }
  } finally {
    agent.destroy()
    await Promise.all([stop(quiet), stop(backend), stop(mock)])
  }
}
