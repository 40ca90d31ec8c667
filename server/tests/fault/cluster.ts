import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { type RunningPostgres, startPostgres } from '../../scripts/ensure-postgres.mjs'
import { type RunningRedis, startRedis } from '../../scripts/ensure-redis.mjs'
import { buildMockWechat, type MockWechat } from '../../mock-wechat/app.js'

export const APPID = 'wx00000000fault001'
const SECRET = 'fault-test-app-secret-0123456789ab'
const JWT_SECRET = 'fault-test-jwt-secret-of-at-least-32-bytes'
const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url))

export interface Instance {
  index: number
  url: string
  process: ChildProcess
  alive: boolean
  /** Set by `Cluster.kill`: the only way an instance may end before `stop`. */
  killed: boolean
  /** How it ended, once it has: any end not caused by `kill` or `stop` is a crash. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null
  /** stdout + stderr, for the failure message. */
  output: string
}

export interface Cluster {
  instances: Instance[]
  mock: MockWechat
  postgres: RunningPostgres
  /** Read-only look at the backends' database, for the after-the-fact checks. */
  db: pg.Pool
  /** SIGKILL: no shutdown, no goodbye; in-flight requests die with their connections. */
  kill(index: number): Promise<void>
  /** Instances that ended on their own (a crash), before `stop`: must stay empty. */
  crashed(): Instance[]
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function waitHealthy(instance: Instance, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (instance.process.exitCode !== null) break
    try {
      if ((await fetch(`${instance.url}/healthz`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`backend ${instance.index} did not become healthy:\n${instance.output}`)
}

/** Starts a backend exactly as `npm start` does: a real process running src/main.ts. */
async function startInstance(index: number, env: Record<string, string>): Promise<Instance> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const instance: Instance = { index, url: `http://127.0.0.1:${port}`, process: child, alive: true, killed: false, exit: null, output: '' }
  child.stdout?.on('data', (chunk: Buffer) => (instance.output += chunk))
  child.stderr?.on('data', (chunk: Buffer) => (instance.output += chunk))
  child.once('exit', (code, signal) => {
    instance.alive = false
    instance.exit = { code, signal }
  })
  return instance
}

/** PostgreSQL + Redis + the mock WeChat + `count` backend processes sharing them. */
export async function startCluster(count: number): Promise<Cluster> {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()])
  let mock: MockWechat | undefined
  let db: pg.Pool | undefined
  const instances: Instance[] = []
  const stop = async () => {
    const running = instances.filter((instance) => instance.alive)
    const exited = running.map((instance) => new Promise((resolve) => instance.process.once('exit', resolve)))
    for (const instance of running) instance.process.kill('SIGTERM')
    await Promise.all(exited)
    await db?.end()
    await mock?.app.close()
    await Promise.all([postgres.destroy(), (redis as RunningRedis).stop()])
  }
  try {
    const admin = new pg.Client({ connectionString: postgres.url })
    await admin.connect()
    await admin.query('CREATE DATABASE uma_fault')
    await admin.end()
    const storeUrl = postgres.url.replace(/\/postgres$/, '/uma_fault')
    mock = buildMockWechat({ appId: APPID, secret: SECRET })
    const mockUrl = await mock.app.listen({ host: '127.0.0.1', port: 0 })
    const env = {
      STORE_URL: storeUrl,
      REDIS_URL: redis.url,
      WX_APPID: APPID,
      WX_SECRET: SECRET,
      WX_API_BASE: mockUrl,
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      // The test's balancer is the proxy in front: client addresses come from X-Forwarded-For.
      TRUST_PROXY: '127.0.0.1',
    }
    // All at once: they also race to migrate the new database.
    instances.push(...(await Promise.all(Array.from({ length: count }, (_, i) => startInstance(i, env)))))
    await Promise.all(instances.map((instance) => waitHealthy(instance, 60_000)))
    db = new pg.Pool({ connectionString: storeUrl, max: 2 })
    db.on('error', () => {})
  } catch (error) {
    await stop()
    throw error
  }
  return {
    instances,
    mock,
    postgres,
    db,
    async kill(index) {
      const instance = instances[index]!
      const exited = new Promise((resolve) => instance.process.once('exit', resolve))
      instance.killed = true
      instance.process.kill('SIGKILL')
      await exited
    },
    crashed: () => instances.filter((instance) => instance.exit !== null && !instance.killed),
    stop,
  }
}
