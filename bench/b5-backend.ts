/**
 * B5: the reference backend under autocannon, side by side with a bare fastify app answering the
 * same JSON (the ceiling for `GET /me` on this machine), on SQLite and on PostgreSQL. Login
 * overhead over the mock WeChat's own cost comes from sequential single-connection latencies
 * (autocannon's histogram has 1 ms resolution, too coarse for a sub-millisecond overhead). Mock,
 * backends, bare app, PostgreSQL and the load generator are separate processes; workloads are
 * interleaved round by round and every ratio is the median of per-round ratios.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import pg from 'pg'
import { startPostgres } from '../server/scripts/ensure-postgres.mjs'
import { ROOT } from './b4-size'
import { interleave, median, ratio } from './lib/stats'

const MOCK_APPID = 'wx0000000000mock01'
const MOCK_SECRET = 'mock-app-secret-not-for-production'
const CONNECTIONS = 50
const DURATION_S = 4

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
  const result = await autocannon({ connections: CONNECTIONS, ...options })
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
  connections: number
  durationS: number
  /** Bare fastify `GET /me` (same JSON, same logger settings), LOG_LEVEL=warn and info. */
  bare: LoadFigures
  bareInfo: LoadFigures
  /** Authenticated `GET /me`, SQLite file store, LOG_LEVEL=warn / info / warn without the user cache. */
  me: LoadFigures
  meInfo: LoadFigures
  meNoUserCache: LoadFigures
  /** Authenticated `GET /me`, PostgreSQL store, LOG_LEVEL=warn. */
  mePostgres: LoadFigures
  login: LoadFigures
  loginPostgres: LoadFigures
  mockCode2Session: LoadFigures
  /** Median over rounds of `GET /me` req/s ÷ bare req/s measured in the same round. */
  meRatio: { sqlite: number; sqliteInfo: number; sqliteNoUserCache: number; postgres: number }
  sequentialP50Ms: {
    mockCode2Session: number
    login: number
    loginPostgres: number
    overhead: number
    overheadPostgres: number
    /** One durable single-row INSERT on the same PostgreSQL: the disk flush a login waits for three times. */
    postgresCommit: number
  }
  rounds: number
}

type LoadWorkload = 'bare' | 'bareInfo' | 'me' | 'meInfo' | 'meNoUserCache' | 'mePostgres' | 'login' | 'loginPostgres' | 'mock'
type Workload = LoadWorkload | 'seqLogin' | 'seqLoginPostgres' | 'seqMock' | 'seqCommit'

export async function runBackendBenchmark(rounds: number): Promise<BackendResults> {
  const work = join(ROOT, 'bench/.work')
  const dbFiles = ['b5-warn.db', 'b5-info.db', 'b5-nocache.db'].map((f) => join(work, f))
  const removeDbFiles = () => {
    for (const f of dbFiles) for (const s of ['', '-wal', '-shm']) rmSync(f + s, { force: true })
  }
  removeDbFiles()
  // Durable settings (fsync on), as a deployment would run it.
  const postgres = await startPostgres({ durable: true })
  const admin = new pg.Client({ connectionString: postgres.url })
  await admin.connect()
  await admin.query('CREATE DATABASE b5')
  await admin.end()
  // Commit latency depends on the disk and whatever else flushes to it: measured beside the logins.
  const flusher = new pg.Client({ connectionString: postgres.url })
  await flusher.connect()
  await flusher.query('CREATE TABLE b5_commits (id serial PRIMARY KEY, at bigint NOT NULL)')
  const commitOnce = async () => {
    await flusher.query('INSERT INTO b5_commits (at) VALUES ($1)', [Date.now()])
    return { status: 200 }
  }
  const children: Child[] = []
  try {
    const mock = await startChild(['mock'])
    children.push(mock)
    const [warn, info, noCache, onPostgres, bare, bareInfo] = await Promise.all([
      startChild(['backend', mock.url, 'warn', `sqlite:${dbFiles[0]}`]),
      startChild(['backend', mock.url, 'info', `sqlite:${dbFiles[1]}`]),
      startChild(['backend', mock.url, 'warn', `sqlite:${dbFiles[2]}`, 'USER_CACHE_TTL_MS=0']),
      startChild(['backend', mock.url, 'warn', postgres.url.replace(/\/postgres$/, '/b5')]),
      startChild(['bare', 'warn']),
      startChild(['bare', 'info']),
    ])
    children.push(warn!, info!, noCache!, onPostgres!, bare!, bareInfo!)

    const loginOnce = (base: string) => call(`${base}/auth/login`, 'POST', JSON.stringify({ code: freshCode() }))
    const bearer = async (base: string) => ({
      authorization: `Bearer ${(JSON.parse((await loginOnce(base)).body) as { token: string }).token}`,
    })
    const headers = {
      warn: await bearer(warn!.url),
      info: await bearer(info!.url),
      noCache: await bearer(noCache!.url),
      pg: await bearer(onPostgres!.url),
    }
    const code2SessionPath = () =>
      `/sns/jscode2session?appid=${MOCK_APPID}&secret=${MOCK_SECRET}&js_code=${encodeURIComponent(freshCode())}&grant_type=authorization_code`
    const loginRequests = [
      {
        method: 'POST' as const,
        path: '/auth/login',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ code: freshCode() }) }),
      },
    ]
    const load: Record<LoadWorkload, (duration: number) => Promise<LoadFigures>> = {
      bare: (duration) => cannon({ duration, url: `${bare!.url}/me` }),
      bareInfo: (duration) => cannon({ duration, url: `${bareInfo!.url}/me` }),
      me: (duration) => cannon({ duration, url: `${warn!.url}/me`, headers: headers.warn }),
      meInfo: (duration) => cannon({ duration, url: `${info!.url}/me`, headers: headers.info }),
      meNoUserCache: (duration) => cannon({ duration, url: `${noCache!.url}/me`, headers: headers.noCache }),
      mePostgres: (duration) => cannon({ duration, url: `${onPostgres!.url}/me`, headers: headers.pg }),
      login: (duration) => cannon({ duration, url: warn!.url, requests: loginRequests }),
      loginPostgres: (duration) => cannon({ duration, url: onPostgres!.url, requests: loginRequests }),
      mock: (duration) =>
        cannon({
          duration,
          url: mock.url,
          requests: [{ method: 'GET', setupRequest: (req: any) => ({ ...req, path: code2SessionPath() }) }],
        }),
    }
    // Warm-up (JIT, SQLite pages, PostgreSQL caches), untimed.
    for (const run of Object.values(load)) await run(1)
    await sequential(200, () => loginOnce(warn!.url))
    await sequential(200, () => loginOnce(onPostgres!.url))

    const workloads: Workload[] = [...(Object.keys(load) as LoadWorkload[]), 'seqLogin', 'seqLoginPostgres', 'seqMock', 'seqCommit']
    const runs = await interleave(workloads, rounds, async (w): Promise<LoadFigures | number> => {
      if (w === 'seqLogin') return sequential(1000, () => loginOnce(warn!.url))
      if (w === 'seqLoginPostgres') return sequential(1000, () => loginOnce(onPostgres!.url))
      if (w === 'seqMock') return sequential(1000, () => call(`${mock.url}${code2SessionPath()}`, 'GET'))
      if (w === 'seqCommit') return sequential(300, commitOnce)
      return load[w](DURATION_S)
    })
    const figures = (w: LoadWorkload): LoadFigures => {
      const list = runs[w] as LoadFigures[]
      return {
        reqPerSec: median(list.map((r) => r.reqPerSec)),
        p50Ms: median(list.map((r) => r.p50Ms)),
        p99Ms: median(list.map((r) => r.p99Ms)),
        non2xx: list.reduce((sum, r) => sum + r.non2xx, 0),
        errors: list.reduce((sum, r) => sum + r.errors, 0),
      }
    }
    const roundRatio = (w: LoadWorkload, base: LoadWorkload) =>
      median((runs[w] as LoadFigures[]).map((r, i) => ratio(r.reqPerSec, (runs[base] as LoadFigures[])[i]!.reqPerSec)))
    const seq = (w: Workload) => median(runs[w] as number[])
    return {
      connections: CONNECTIONS,
      durationS: DURATION_S,
      bare: figures('bare'),
      bareInfo: figures('bareInfo'),
      me: figures('me'),
      meInfo: figures('meInfo'),
      meNoUserCache: figures('meNoUserCache'),
      mePostgres: figures('mePostgres'),
      login: figures('login'),
      loginPostgres: figures('loginPostgres'),
      mockCode2Session: figures('mock'),
      meRatio: {
        sqlite: roundRatio('me', 'bare'),
        sqliteInfo: roundRatio('meInfo', 'bareInfo'),
        sqliteNoUserCache: roundRatio('meNoUserCache', 'bare'),
        postgres: roundRatio('mePostgres', 'bare'),
      },
      sequentialP50Ms: {
        mockCode2Session: seq('seqMock'),
        login: seq('seqLogin'),
        loginPostgres: seq('seqLoginPostgres'),
        overhead: seq('seqLogin') - seq('seqMock'),
        overheadPostgres: seq('seqLoginPostgres') - seq('seqMock'),
        postgresCommit: seq('seqCommit'),
      },
      rounds,
    }
  } finally {
    agent.destroy()
    await flusher.end()
    await Promise.all(children.map(stop))
    await postgres.destroy()
    removeDbFiles()
  }
}
