// The server README's commands, run from the packed package as a new user would: the embedding
// example as written in a fresh ESM app against the packaged mock, and the documented production
// start against the mock and PostgreSQL. One tarball for the whole file.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { cleanEnv, packServer } from '../helpers/pack-server.js'

const serverDir = join(import.meta.dirname, '../..')
const repoModules = join(serverDir, '../node_modules')
const readme = readFileSync(join(serverDir, 'README.md'), 'utf8')
const work = mkdtempSync(join(tmpdir(), 'uma-documented-start-'))
const children = new Set<ChildProcess>()
let tarball: string

type Env = Record<string, string>

function sh(command: string, cwd: string): string {
  const result = spawnSync('sh', ['-c', command], { cwd, encoding: 'utf8', env: cleanEnv() })
  if (result.status !== 0) throw new Error(`${command} failed:\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

/** The body of the first fenced block of `language` after `marker` in the README. */
function blockAfter(marker: string, language: string): string {
  const at = readme.indexOf(marker)
  if (at < 0) throw new Error(`server/README.md no longer contains ${JSON.stringify(marker)}`)
  const fence = `\`\`\`${language}\n`
  const start = readme.indexOf(fence, at) + fence.length
  return readme.slice(start, readme.indexOf('\n```', start))
}

/** Shell lines without comments and blank lines, continuation lines joined. */
function commandLines(block: string): string[] {
  return block
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s+)#.*$/, '').trim())
    .filter(Boolean)
}

/** npm, but from the local cache, and without better-sqlite3's build (see installSqliteAddon). */
function offline(command: string): string {
  return command.startsWith('npm install ') ? `${command} --prefer-offline --ignore-scripts --no-audit --no-fund` : command
}

/**
 * npm builds better-sqlite3's native addon at install (a minute of compiling here); the tests skip
 * that and put in the one the repository's own install built, the same version.
 */
function installSqliteAddon(app: string): void {
  const release = join(app, 'node_modules/better-sqlite3/build/Release')
  mkdirSync(release, { recursive: true })
  copyFileSync(join(repoModules, 'better-sqlite3/build/Release/better_sqlite3.node'), join(release, 'better_sqlite3.node'))
}

interface Started {
  child: ChildProcess
  /** What `ready` picked out of the first line it accepted. */
  value: string
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Spawns a command and resolves once `ready` accepts a line of its output (stdout or stderr). */
function start(command: string, args: string[], cwd: string, env: Env, ready: (line: string) => string | undefined): Promise<Started> {
  // Its own process group: `npx` leaves a shell and the command under it, all killed together at the end.
  const child = spawn(command, args, { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  children.add(child)
  let output = ''
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child)
      resolve({ code, signal })
    }),
  )
  return new Promise((resolve, reject) => {
    let done = false
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        output += `${line}\n`
        const value = done ? undefined : ready(line)
        if (value === undefined) return
        done = true
        resolve({ child, value, output: () => output, exited })
      })
    }
    void exited.then(({ code }) => {
      if (!done) reject(new Error(`${command} ${args.join(' ')} exited with ${code} before it was ready:\n${output}`))
    })
  })
}

/** A loopback port nothing listens on now: the standalone server refuses PORT=0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const mockReady = (line: string) => /listening on (http:\/\/\S+)/.exec(line)?.[1]
const fastifyReady = (line: string) => /Server listening at (http:\/\/[^"\s]+)/.exec(line)?.[1]

async function json(response: Response): Promise<unknown> {
  return response.json()
}

async function login(baseUrl: string, code: string): Promise<{ token: string; user: { id: string } }> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  })
  expect(response.status).toBe(200)
  return (await response.json()) as { token: string; user: { id: string } }
}

beforeAll(async () => {
  // `npm pack` runs `prepack`: the build emitting dist/ (the server, its .d.ts and the mock).
  tarball = (await packServer(work)).tarball
})

afterAll(() => {
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true })
})

describe('the server README’s embedding example, run as written in a fresh ESM app', () => {
  const app = join(work, 'my-api')
  let mockUrl: string
  let baseUrl: string

  beforeAll(async () => {
    // The README's setup commands, with the tarball in place of the registry's package.
    const setup = commandLines(blockAfter('## Use it in your fastify app', 'sh'))
    expect(setup[0]).toBe('mkdir my-api && cd my-api')
    mkdirSync(app)
    for (const command of setup.slice(1)) sh(offline(command.replace('@uni-mp-auth/server', JSON.stringify(tarball))), app)
    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'))).toMatchObject({ type: 'module' })
    installSqliteAddon(app)
    writeFileSync(join(app, 'server.ts'), blockAfter('`server.ts`:', 'ts'))

    // `npx uni-mp-auth-mock` as documented, on a free port instead of 8788; the example reads WX_API_BASE and PORT.
    mockUrl = (await start('npx', ['uni-mp-auth-mock'], app, { MOCK_WECHAT_PORT: '0' }, mockReady)).value
    baseUrl = `${(await start('npx', ['tsx', 'server.ts'], app, { WX_API_BASE: mockUrl, PORT: '0' }, fastifyReady)).value}/api`
  })

  it('documents the commands it runs', () => {
    const run = commandLines(blockAfter('Run it against the mock', 'sh'))
    expect(run.slice(0, 2)).toEqual(['npx uni-mp-auth-mock', 'npx tsx server.ts'])
  })

  it('type-checks under strict TypeScript against the package’s .d.ts files', () => {
    // The repository's TypeScript and @types/node: the README installs tsx alone, which does not check types.
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        types: ['node'],
        typeRoots: [join(repoModules, '@types')],
      },
      files: ['server.ts'],
    }
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig))
    expect(sh(`${JSON.stringify(process.execPath)} ${JSON.stringify(join(repoModules, 'typescript/bin/tsc'))} -p tsconfig.json`, app)).toBe(
      '',
    )
  }, 30_000)

  it('logs in with a mock code; the app’s own guarded route answers that user’s data, a request without a token is a 401', async () => {
    const alice = await login(baseUrl, 'mock-alice.1')
    const asAlice = { authorization: `Bearer ${alice.token}` }
    const added = await fetch(`${baseUrl}/orders`, {
      method: 'POST',
      headers: { ...asAlice, 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'tea' }),
    })
    expect(added.status).toBe(201)
    const orders = await fetch(`${baseUrl}/orders`, { headers: asAlice })
    expect(orders.status).toBe(200)
    expect(await json(orders)).toEqual({ userId: alice.user.id, orders: [{ item: 'tea' }] })

    const bob = await login(baseUrl, 'mock-bob.1')
    const bobsOrders = await fetch(`${baseUrl}/orders`, { headers: { authorization: `Bearer ${bob.token}` } })
    expect(await json(bobsOrders)).toEqual({ userId: bob.user.id, orders: [] })

    const anonymous = await fetch(`${baseUrl}/orders`)
    expect(anonymous.status).toBe(401)
    expect(await json(anonymous)).toMatchObject({ code: 'AUTH_TOKEN_MISSING' })
    // "SQLite in ./data/auth.db", as the README says.
    expect(existsSync(join(app, 'data/auth.db'))).toBe(true)
  }, 30_000)

  it('with NODE_ENV=production and no secrets set, stops at start-up with a ConfigError', async () => {
    const child = spawnSync('npx', ['tsx', 'server.ts'], {
      cwd: app,
      encoding: 'utf8',
      env: cleanEnv({ NODE_ENV: 'production', PORT: '0' }),
      timeout: 30_000,
    })
    expect(child.status).not.toBe(0)
    expect(`${child.stdout}${child.stderr}`).toMatch(/ConfigError: uniMpAuth: /)
  }, 40_000)
})

describe('the documented production start of the packed server, against the mock and PostgreSQL', () => {
  const deploy = join(work, 'deploy')
  const suffix = randomBytes(4).toString('hex')
  const role = `uma_app_${suffix}`
  const database = `uma_app_${suffix}`
  const adminUrl = new URL(inject('postgresUrl'))
  const values: Env = {
    NODE_ENV: 'production',
    WX_APPID: 'wx5e1f0a11ce000001',
    WX_SECRET: randomBytes(16).toString('hex'),
    JWT_SECRET: randomBytes(48).toString('base64'),
    STORE_URL: '',
  }
  let documented: Env
  let command: string[]
  let mockUrl: string

  async function asAdmin(db: string, statement: string): Promise<void> {
    const url = new URL(adminUrl)
    url.pathname = `/${db}`
    const client = new pg.Client({ connectionString: url.toString() })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }

  beforeAll(async () => {
    const [install] = commandLines(blockAfter('## Run it from the package', 'sh'))
    mkdirSync(deploy)
    sh(offline(install!.replace('@uni-mp-auth/server', JSON.stringify(tarball))), deploy)

    // The role and its CREATE grant, as the README's SQL gives them (the role named for this run).
    const sql = commandLines(blockAfter('**The PostgreSQL role needs CREATE on its schema**', 'sql')).filter(
      (line) => !line.startsWith('--'),
    )
    expect(sql).toEqual(["CREATE ROLE app LOGIN PASSWORD 'password';", 'GRANT CREATE ON SCHEMA public TO app;'])
    await asAdmin('postgres', `CREATE DATABASE ${database}`)
    await asAdmin(database, sql[0]!.replace(' app ', ` ${role} `))
    await asAdmin(database, sql[1]!.replace(/ app;$/, ` ${role};`))
    const storeUrl = new URL(adminUrl)
    storeUrl.username = role
    storeUrl.password = 'password'
    storeUrl.pathname = `/${database}`
    values.STORE_URL = storeUrl.toString()

    // The production block: VAR=value lines, then the command.
    const [production] = commandLines(blockAfter('Production, from the directory of that install', 'sh'))
    const words = production!.split(/\s+/)
    documented = Object.fromEntries(words.filter((word) => /^[A-Z_]+=/.test(word)).map((word) => word.split('=', 2) as [string, string]))
    command = words.filter((word) => !/^[A-Z_]+=/.test(word))

    // The mock as the README says to rehearse: the server's WX_APPID / WX_SECRET, on a free port.
    const mock = await start(
      'npx',
      ['uni-mp-auth-mock'],
      deploy,
      { WX_APPID: values.WX_APPID!, WX_SECRET: values.WX_SECRET!, MOCK_WECHAT_PORT: '0' },
      mockReady,
    )
    mockUrl = mock.value
  })

  afterAll(async () => {
    await asAdmin('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await asAdmin('postgres', `DROP ROLE IF EXISTS ${role}`)
  })

  /** The documented variables with this run's values, and what a rehearsal adds: the mock's URL, a free port. */
  async function productionEnv(overrides: Env = {}): Promise<Env> {
    const env: Env = {}
    for (const name of Object.keys(documented)) {
      expect(values, `a value for the documented ${name}`).toHaveProperty(name)
      env[name] = values[name]!
    }
    return { ...env, WX_API_BASE: mockUrl, PORT: String(await freePort()), ...overrides }
  }

  it('documents the package’s bin with NODE_ENV, the WeChat credentials, the JWT secret and the store', () => {
    expect(command).toEqual(['node_modules/.bin/uni-mp-auth-server'])
    expect(Object.keys(documented).sort()).toEqual(Object.keys(values).sort())
  })

  it('starts: login with a mock code, the token reads /me; on SIGTERM (to it alone, as a process manager sends it) it exits with 0', async () => {
    const server = await start(command[0]!, command.slice(1), deploy, await productionEnv(), fastifyReady)
    const session = await login(server.value, 'mock-carol.1')
    const me = await fetch(`${server.value}/me`, { headers: { authorization: `Bearer ${session.token}` } })
    expect(me.status).toBe(200)
    expect(await json(me)).toMatchObject({ user: { id: session.user.id, phoneBound: false } })

    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
  }, 60_000)

  it('is the production start the main README gives, in both languages', () => {
    const block = blockAfter('Production, from the directory of that install', 'sh')
    for (const file of ['README.md', 'README.zh-CN.md']) expect(readFileSync(join(serverDir, '..', file), 'utf8')).toContain(block)
  })

  it('refuses the development AppID, as the README says', async () => {
    const child = spawnSync(command[0]!, command.slice(1), {
      cwd: deploy,
      encoding: 'utf8',
      env: cleanEnv(await productionEnv({ WX_APPID: 'wx0000000000mock01' })),
      timeout: 30_000,
    })
    expect(child.status).toBe(1)
    expect(child.stderr).toContain('Refusing to start in production: WX_APPID is the development default')
  }, 40_000)
})
