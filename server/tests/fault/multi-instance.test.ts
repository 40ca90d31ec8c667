/**
 * Three real backend processes on one PostgreSQL (and Redis), the mock WeChat upstream, requests
 * spread round-robin; concurrent logins with shared codes, refresh storms with logouts, one
 * instance SIGKILLed mid-storm, PostgreSQL restarted while idle and again while logins, refreshes,
 * logouts and /me are in flight. The steps run in order and build on each other; afterwards the
 * database must show every invariant intact, and no instance may have exited on its own.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Balancer, type Outcome } from './client.js'
import { APPID, type Cluster, startCluster } from './cluster.js'

interface Session {
  token: string
  refreshToken: string
  user: { id: string; phoneBound: boolean }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')
const ok = (outcome: Outcome) => outcome.status === 200
const KILLED = 2
const USERS = 150

describe('three instances on one PostgreSQL under faults', () => {
  let cluster: Cluster
  let lb: Balancer
  /** Outcomes expected to be 503: sent while PostgreSQL was down. */
  const whileDown = new Set<Outcome>()
  const userIdByOpenid = new Map<string, string>()
  const sessions: Session[] = []
  const phoneByUser = new Map<string, string>()

  beforeAll(async () => {
    cluster = await startCluster(3)
    lb = new Balancer(cluster.instances)
  }, 120_000)

  afterAll(async () => {
    lb?.close()
    await cluster?.stop()
  }, 60_000)

  const query = async <T>(text: string, values: unknown[] = []) => (await cluster.db.query(text, values)).rows as T[]
  const mint = (openid: string) => cluster.mock.state.mintLoginCode({ openid }).code

  /** After PostgreSQL came back: each live instance's pool reconnects by itself. */
  const waitUntilEveryInstanceLogsIn = async () => {
    for (const instance of cluster.instances.filter((i) => i.alive)) {
      const deadline = Date.now() + 20_000
      for (;;) {
        const probe = await lb.sendTo(instance, 'POST', '/auth/login', { code: mint('o_fault_probe') })
        if (probe.status === 200) break
        whileDown.add(probe)
        expect(Date.now(), `instance ${instance.index} still failing: ${JSON.stringify(probe)}`).toBeLessThan(deadline)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  }

  /** No account lost: every user, with the same id and phone binding, after a SIGKILL and restarts. */
  const expectAccountsKept = async () => {
    const users = await query<{ id: string; openid: string; phone: string | null }>(
      'SELECT users.id, identities.subject AS openid, users.phone FROM users JOIN identities ON identities.user_id = users.id ' +
        "WHERE subject LIKE 'o_fault_%' AND subject NOT LIKE 'o_fault_load_%'",
    )
    const byOpenid = new Map(users.filter((u) => u.openid !== 'o_fault_probe').map((u) => [u.openid, u.id]))
    expect(byOpenid).toEqual(userIdByOpenid)
    for (const [userId, phone] of phoneByUser) expect(users.find((u) => u.id === userId)?.phone).toBe(phone)
    expect(await query('SELECT subject FROM identities GROUP BY subject HAVING count(*) > 1')).toEqual([])
  }

  it('500 concurrent logins, 50 pairs sharing a code: one user per openid, one winner per code', async () => {
    const openids = Array.from({ length: USERS }, (_, k) => `o_fault_${k}`)
    const codes = Array.from({ length: 450 }, (_, i) => ({ code: mint(openids[i % USERS]!), openid: openids[i % USERS]! }))
    // The last 50 codes are each sent twice in a row, so round-robin puts the two on different instances.
    const requests = codes.flatMap((entry, i) => (i >= 400 ? [entry, entry] : [entry]))
    expect(requests).toHaveLength(500)
    const outcomes = await Promise.all(requests.map(({ code }) => lb.send('POST', '/auth/login', { code })))

    const byCode = new Map<string, Outcome[]>()
    outcomes.forEach((outcome, i) => byCode.set(requests[i]!.code, [...(byCode.get(requests[i]!.code) ?? []), outcome]))
    for (const [i, { code, openid }] of codes.entries()) {
      const results = byCode.get(code)!
      const winners = results.filter(ok)
      expect(winners, JSON.stringify(results)).toHaveLength(1)
      if (i >= 400) expect(results.find((r) => !ok(r))).toMatchObject({ status: 400, body: { code: 'WX_CODE_USED' } })
      const session = winners[0]!.body as Session
      const known = userIdByOpenid.get(openid) ?? session.user.id
      expect(session.user.id, `one user for ${openid}`).toBe(known)
      userIdByOpenid.set(openid, known)
      sessions.push(session)
    }

    expect(await query('SELECT subject FROM identities GROUP BY subject HAVING count(*) > 1')).toEqual([])
    expect(await query('SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM identities)')).toEqual([])
    const users = await query<{ id: string; openid: string }>('SELECT user_id AS id, subject AS openid FROM identities')
    expect(new Map(users.map((u) => [u.openid, u.id]))).toEqual(userIdByOpenid)
    const claims = await query<{ code_hash: string }>('SELECT code_hash FROM code_claims')
    // Claims are per login target and AppID (two vendors may issue the same code string).
    expect(new Set(claims.map((c) => c.code_hash))).toEqual(new Set(codes.map(({ code }) => sha256(`mp-weixin:${APPID}:${code}`))))
    // The claim is taken before WeChat is called: the losing twin never cost an upstream call.
    expect(cluster.mock.state.calls.jscode2session).toBe(450)
  }, 60_000)

  it('30 concurrent phone bindings across instances share one WeChat access_token (Redis lock)', async () => {
    const bindings = sessions.slice(0, 30).map((session, i) => ({ session, phone: `1390000${String(i).padStart(4, '0')}` }))
    const outcomes = await Promise.all(
      bindings.map(({ session, phone }) =>
        lb.send('POST', '/auth/phone', { code: cluster.mock.state.mintPhoneCode(phone) }, { authorization: `Bearer ${session.token}` }),
      ),
    )
    for (const [i, outcome] of outcomes.entries()) {
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 200, body: { user: { phoneBound: true } } })
      phoneByUser.set(bindings[i]!.session.user.id, bindings[i]!.phone)
    }
    expect(cluster.mock.state.calls.stable_token + cluster.mock.state.calls.token).toBe(1)
  }, 60_000)

  it('refresh storms (20 clients, one token) with logouts mid-storm and a SIGKILL: one live token per login, revoked families stay dead', async () => {
    const storms = sessions
      .slice(30, 90)
      .map((session, i) => ({ session, logout: i % 3 === 2, outcomes: [] as Outcome[], logoutOutcome: null as Outcome | null }))
    const waves = [0, 1, 2, 3, 4, 5].map((w) => storms.slice(w * 10, w * 10 + 10))
    const pending: Promise<unknown>[] = []
    for (const [w, wave] of waves.entries()) {
      for (const storm of wave) {
        const refresh = () =>
          lb.send('POST', '/auth/refresh', { refreshToken: storm.session.refreshToken }).then((o) => storm.outcomes.push(o))
        for (let k = 0; k < 10; k++) pending.push(refresh())
        if (storm.logout) {
          pending.push(lb.send('POST', '/auth/logout', { refreshToken: storm.session.refreshToken }).then((o) => (storm.logoutOutcome = o)))
        }
        for (let k = 0; k < 10; k++) pending.push(refresh())
      }
      // Mid-run: wave 3 is on the wire when instance 2 dies.
      if (w === 2) {
        await new Promise((resolve) => setTimeout(resolve, 5))
        await cluster.kill(KILLED)
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await Promise.all(pending)
    expect(cluster.instances[KILLED]!.alive).toBe(false)

    const refreshWith = (refreshToken: string) => lb.send('POST', '/auth/refresh', { refreshToken })
    let survived = 0
    for (const storm of storms) {
      for (const outcome of storm.outcomes) {
        if (outcome.connectionError) expect(outcome.instance).toBe(KILLED)
        else if (!ok(outcome)) expect(outcome).toMatchObject({ status: 401, body: { code: 'AUTH_REFRESH_INVALID' } })
      }
      if (storm.logout && !storm.logoutOutcome?.connectionError) expect(storm.logoutOutcome?.status).toBe(204)

      // Concurrent uses within the grace window may each get a successor, each replacing the one
      // before, or lose the race and revoke the login: never two live tokens in one family.
      const [family] = await query<{ id: string; revoked_at: string | null }>(
        'SELECT f.id, f.revoked_at FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.hash = $1',
        [sha256(storm.session.refreshToken)],
      )
      const live = await query('SELECT hash FROM refresh_tokens WHERE family_id = $1 AND used_at IS NULL', [family!.id])
      expect(live.length, 'live tokens in one family').toBeLessThanOrEqual(1)
      const successors = storm.outcomes.filter(ok).map((o) => (o.body as Session).refreshToken)
      if (storm.logoutOutcome?.status === 204) expect(family?.revoked_at, 'logged-out family revoked').not.toBeNull()
      if (family?.revoked_at === null) {
        // Alive: the spent token still counts as a retry (its successor is unused) and gets a
        // successor; once that one is used, the spent token is a replay and ends the login.
        survived++
        const retried = await refreshWith(storm.session.refreshToken)
        expect(retried.status, JSON.stringify(retried)).toBe(200)
        const next = await refreshWith((retried.body as Session).refreshToken)
        expect(next.status).toBe(200)
        successors.push((retried.body as Session).refreshToken, (next.body as Session).refreshToken)
        expect(await refreshWith(storm.session.refreshToken)).toMatchObject({ status: 401, body: { code: 'AUTH_REFRESH_INVALID' } })
      }
      // Revoked now, in the database, so no token of the login works on any live instance.
      for (const refreshToken of [storm.session.refreshToken, ...successors]) {
        expect(await refreshWith(refreshToken)).toMatchObject({ status: 401, body: { code: 'AUTH_REFRESH_INVALID' } })
      }
    }
    // Storms whose logout went through are over; the others may survive, with one live token.
    expect(survived).toBeGreaterThan(0)
    expect(survived).toBeLessThanOrEqual(storms.filter((storm) => storm.logoutOutcome?.status !== 204).length)
    expect(storms.some((storm) => storm.outcomes.some((o) => o.connectionError !== null))).toBe(true)
    expect(cluster.crashed(), 'instances that exited on their own').toEqual([])
  }, 60_000)

  it('a PostgreSQL restart: 503 STORE_UNAVAILABLE while down, service resumes, nothing lost or half-done', async () => {
    const untouched = sessions.slice(90, 110)
    const freshCodes = Array.from({ length: 10 }, (_, i) => mint(`o_fault_${i}`))
    await cluster.postgres.stop()

    const down = await Promise.all([
      ...freshCodes.map((code) => lb.send('POST', '/auth/login', { code })),
      ...untouched.map((s) => lb.send('POST', '/auth/refresh', { refreshToken: s.refreshToken })),
    ])
    for (const outcome of down) {
      whileDown.add(outcome)
      expect(outcome).toMatchObject({ status: 503, body: { code: 'STORE_UNAVAILABLE', message: expect.any(String) } })
    }

    await cluster.postgres.start()
    await waitUntilEveryInstanceLogsIn()

    // The refused requests left nothing half-done: the same codes and refresh tokens work now.
    for (const code of freshCodes) expect(await lb.send('POST', '/auth/login', { code })).toMatchObject({ status: 200 })
    for (const s of untouched)
      expect(await lb.send('POST', '/auth/refresh', { refreshToken: s.refreshToken })).toMatchObject({ status: 200 })
    await expectAccountsKept()
  }, 60_000)

  it('a PostgreSQL restart under load (logins, refreshes, logouts, /me in flight): no instance exits, no session lost', async () => {
    // Each client keeps its own login going as the client plugin would: one request at a time,
    // a 503 retried with the same refresh token, a new wx.login code for every login attempt.
    const clients = sessions.slice(110, 150).map((session, i) => ({
      session,
      logsOut: i % 4 === 3,
      loggedOut: false,
      lost: null as Outcome | null,
      rotations: 0,
    }))
    let running = true
    const retryable = (o: Outcome) => o.status === 503 || (o.connectionError !== null && o.instance === KILLED)
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20))
    const underFault: Outcome[] = []
    const note = (o: Outcome) => (underFault.push(o), o)

    const drive = async (client: (typeof clients)[number], k: number) => {
      while (running) {
        const step = k++ % 4
        if (step === 0 || step === 2) {
          const o = note(await lb.send('POST', '/auth/refresh', { refreshToken: client.session.refreshToken }))
          if (ok(o)) {
            client.session = o.body as Session
            client.rotations++
          } else if (!retryable(o)) {
            client.lost = o
            return
          }
        } else if (step === 1) {
          note(await lb.send('GET', '/me', undefined, { authorization: `Bearer ${client.session.token}` }))
        } else {
          note(await lb.send('POST', '/auth/login', { code: mint(`o_fault_load_${k % 7}`) }))
        }
        await pause()
      }
      if (!client.logsOut) return
      for (;;) {
        const o = note(await lb.send('POST', '/auth/logout', { refreshToken: client.session.refreshToken }))
        if (o.status === 204) break
        expect(retryable(o), JSON.stringify(o)).toBe(true)
        await pause()
      }
      client.loggedOut = true
    }
    const load = Promise.all(clients.map((client, i) => drive(client, i)))

    await new Promise((resolve) => setTimeout(resolve, 500))
    await cluster.postgres.stop()
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await cluster.postgres.start()
    await waitUntilEveryInstanceLogsIn()
    await new Promise((resolve) => setTimeout(resolve, 1000))
    running = false
    await load

    for (const o of underFault) {
      whileDown.add(o)
      // Nothing but "retry": no 500, no other failure, no dropped connection from a live instance.
      if (o.connectionError === null && o.status !== null && o.status >= 500) {
        expect(o, JSON.stringify(o)).toMatchObject({ status: 503, body: { code: 'STORE_UNAVAILABLE' } })
      }
      if (o.connectionError !== null) expect(o.instance).toBe(KILLED)
    }
    const lost = clients.filter((client) => client.lost !== null)
    const unavailable = underFault.filter((o) => o.status === 503).length
    console.log(
      `restart under load: ${underFault.length} requests (${unavailable} answered 503), ` +
        `${clients.reduce((n, c) => n + c.rotations, 0)} rotations, lost sessions ${lost.length}, crashed instances ${cluster.crashed().length}`,
    )
    expect(cluster.crashed(), 'instances that exited on their own').toEqual([])
    expect(lost.map((client) => client.lost)).toEqual([])
    expect(unavailable).toBeGreaterThan(0)
    // Every session still works, on any instance; the logged-out ones are gone.
    for (const client of clients) {
      const o = await lb.send('POST', '/auth/refresh', { refreshToken: client.session.refreshToken })
      expect(o.status, JSON.stringify(o)).toBe(client.loggedOut ? 401 : 200)
    }
    await expectAccountsKept()
  }, 90_000)

  it('no 5xx from a live instance outside the outages, connection failures only on the killed one, no crash', () => {
    expect(lb.outcomes.length).toBeGreaterThan(1500)
    for (const outcome of lb.outcomes) {
      if (outcome.connectionError !== null) expect(outcome.instance, JSON.stringify(outcome)).toBe(KILLED)
      else if (!whileDown.has(outcome)) expect(outcome.status, JSON.stringify(outcome)).toBeLessThan(500)
    }
    // Backends logged no crash (stderr would show an unhandled error or a stack), and none exited.
    for (const instance of cluster.instances.filter((i) => i.alive))
      expect(instance.output).not.toMatch(/Unhandled|TypeError|ReferenceError/)
    expect(cluster.crashed(), 'instances that exited on their own').toEqual([])
  })
})
