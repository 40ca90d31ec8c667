/**
 * B1 (cold start: N concurrent requests at launch), B1r (the same on a relaunch with a stored token)
 * and B2 (a storm of 401s), run for ours / article / limit over uni-app's real API layer and the
 * test suite's fake wx and backend, answering after fixed round-trip times on real timers.
 * Contenders are interleaved round by round; figures are medians.
 */
import { performance } from 'node:perf_hooks'
import {
  API,
  type AppContext,
  type BenchApp,
  CONTENDERS,
  type Contender,
  createApp,
  RELAUNCH_CONTENDERS,
  type RelaunchContender,
  seedStoredSession,
} from './contenders/apps'
import { createFakeBackend } from '../testkit/doubles/fake-backend'
import type { FakeWx } from '../testkit/doubles/fake-wx'
import { clearInterceptors, loadRealUni } from '../testkit/harness/real-uni'
import { interleave, median, settle } from './lib/stats'

/** Round-trip times in ms; `request` is every wx.request, the code exchange included. */
export interface Rtts {
  login: number
  checkSession: number
  request: number
}
export const RTTS: Rtts = { login: 50, checkSession: 50, request: 50 }

/** What one trial made the platform and the backend do. */
export interface TrialCounts {
  /** wx.login calls. */
  logins: number
  checkSessions: number
  /** Code exchanges (`POST /auth/login`). */
  exchanges: number
  /** Business requests. */
  requests: number
  /** Business requests that left without an Authorization header. */
  withoutToken: number
  /** Business requests answered 401. */
  unauthorized: number
}

function countsOf(wx: FakeWx): TrialCounts {
  const { counts } = wx.backend
  return {
    logins: wx.calls.count('login'),
    checkSessions: wx.calls.count('checkSession'),
    exchanges: counts.logins,
    requests: counts.requests,
    withoutToken: counts.withoutToken,
    unauthorized: counts.unauthorized,
  }
}

/**
 * A fresh phone and backend for one trial. Grants carry no refresh token: a 401 costs every
 * contender the same full relogin (wx.login + exchange), the floor B2 is measured against.
 */
function freshPhone(wx: FakeWx): void {
  wx.reset({
    backend: createFakeBackend({ baseUrl: API, settings: { refreshTokens: false } }),
    behaviour: { latencyMs: 0, latency: { login: RTTS.login, checkSession: RTTS.checkSession, request: RTTS.request } },
  })
}

export interface Trial {
  wallMs: number
  counts: TrialCounts
  /** Requests whose caller finally saw HTTP 200. */
  ok: number
  /** Requests whose caller finally saw HTTP 401 (or a failure). */
  failed: number
  /** Timers the contender left pending after every request had settled (pollers). */
  leftPolling: number
}

export interface Summary extends TrialCounts {
  wallMs: number
  wallMsMin: number
  wallMsMax: number
  ok: number
  failed: number
  leftPolling: number
  rounds: number
}

function summarize(trials: Trial[]): Summary {
  const m = (pick: (t: Trial) => number) => median(trials.map(pick))
  const walls = trials.map((t) => t.wallMs)
  return {
    wallMs: m((t) => t.wallMs),
    wallMsMin: Math.min(...walls),
    wallMsMax: Math.max(...walls),
    logins: m((t) => t.counts.logins),
    checkSessions: m((t) => t.counts.checkSessions),
    exchanges: m((t) => t.counts.exchanges),
    requests: m((t) => t.counts.requests),
    withoutToken: m((t) => t.counts.withoutToken),
    unauthorized: m((t) => t.counts.unauthorized),
    ok: m((t) => t.ok),
    failed: m((t) => t.failed),
    leftPolling: m((t) => t.leftPolling),
    rounds: trials.length,
  }
}

/** Counts are read before dispose(): ending the run must not change what it measured. */
async function finishTrial(wallMs: number, statuses: number[], app: BenchApp, wx: FakeWx): Promise<Trial> {
  const counts = countsOf(wx)
  const leftPolling = app.dispose()
  await settle()
  return { wallMs, counts, ok: statuses.filter((s) => s === 200).length, failed: statuses.filter((s) => s !== 200).length, leftPolling }
}

async function launchTrial(contender: RelaunchContender, ctx: AppContext, n: number, relaunch: boolean): Promise<Trial> {
  const { uni, wx } = ctx
  clearInterceptors(uni)
  freshPhone(wx)
  if (relaunch) seedStoredSession(contender, ctx)
  const app = createApp(contender, ctx)
  const t0 = performance.now()
  app.launch()
  const statuses = await Promise.all(Array.from({ length: n }, (_, i) => app.request(`/orders/${i}`)))
  return finishTrial(performance.now() - t0, statuses, app, wx)
}

async function stormTrial(contender: Contender, ctx: AppContext, n: number): Promise<Trial> {
  const { uni, wx } = ctx
  clearInterceptors(uni)
  freshPhone(wx)
  const app = createApp(contender, ctx)
  // Warm-up, untimed: launch, let the login finish, then one request (the article's first request
  // after launch is where its checkSession runs). Every contender then holds a valid, checked token.
  app.launch()
  await settle(3 * RTTS.login + 50)
  await app.request('/warm-up')
  wx.calls.clear()
  wx.backend.resetCounts()
  wx.backend.revokeAll()
  const t0 = performance.now()
  const statuses = await Promise.all(Array.from({ length: n }, (_, i) => app.request(`/orders/${i}`)))
  return finishTrial(performance.now() - t0, statuses, app, wx)
}

export interface LaunchResults {
  b1: Record<string, Record<Contender, Summary>>
  b1Relaunch: Record<string, Record<RelaunchContender, Summary>>
  b2: Record<Contender, Summary>
}

export async function runLaunchBenchmarks({
  rounds,
  sizes,
  stormSize,
}: {
  rounds: number
  sizes: number[]
  stormSize: number
}): Promise<LaunchResults> {
  // Counts only: copying a hundred thousand calls' arguments into a log would be measured too.
  const ctx = await loadRealUni({ recordCalls: false })
  // One untimed pass of everything first: JIT warm-up for all contenders alike.
  for (const c of CONTENDERS) await launchTrial(c, ctx, 10, false)
  const b1: LaunchResults['b1'] = {}
  const b1Relaunch: LaunchResults['b1Relaunch'] = {}
  for (const n of sizes) {
    const cold = await interleave(CONTENDERS, rounds, (c) => launchTrial(c, ctx, n, false))
    b1[n] = Object.fromEntries(CONTENDERS.map((c) => [c, summarize(cold[c])])) as Record<Contender, Summary>
    const warm = await interleave(RELAUNCH_CONTENDERS, rounds, (c) => launchTrial(c, ctx, n, true))
    b1Relaunch[n] = Object.fromEntries(RELAUNCH_CONTENDERS.map((c) => [c, summarize(warm[c])])) as Record<RelaunchContender, Summary>
    console.log(
      `  B1 N=${n}: ours ${b1[n].ours.wallMs.toFixed(1)} ms, article ${b1[n].article.wallMs.toFixed(1)} ms, limit ${b1[n].limit.wallMs.toFixed(1)} ms`,
    )
    const r = b1Relaunch[n]
    console.log(
      `  B1r N=${n}: ours ${r.ours.wallMs.toFixed(1)} ms, ours blocking ${r['ours-blocking'].wallMs.toFixed(1)} ms, limit ${r.limit.wallMs.toFixed(1)} ms`,
    )
  }
  const storm = await interleave(CONTENDERS, rounds, (c) => stormTrial(c, ctx, stormSize))
  const b2 = Object.fromEntries(CONTENDERS.map((c) => [c, summarize(storm[c])])) as Record<Contender, Summary>
  console.log(
    `  B2: ours ${b2.ours.wallMs.toFixed(1)} ms, article ${b2.article.wallMs.toFixed(1)} ms, limit ${b2.limit.wallMs.toFixed(1)} ms`,
  )
  return { b1, b1Relaunch, b2 }
}
