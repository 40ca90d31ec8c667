/** Renders bench results as the Markdown table (latest.md) and the B1 chart (SVG, no library). */
import type { Summary } from './b1-b2-launch'
import type { ModuleBreakdown } from './b4-modules'
import type { LoginLimitsRow } from './b6-login-limits'
import type { Contender, RelaunchContender } from './contenders/apps'
import { benchSection, END, readScore, START } from '../scripts/mutation-score.mjs'

type Results = Record<string, any>
const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '–')
const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–')
const verdict = (ok: boolean, detail: string) => `${ok ? '**met**' : '**missed**'} (${detail})`

export function renderMarkdown(r: Results): string {
  const lines: string[] = []
  const push = (...l: string[]) => lines.push(...l)
  push(
    '# uni-mp-auth benchmarks (latest run)',
    '',
    `Machine: ${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}, ${r.machine.platform}. Generated ${r.generatedAt}; \`npm run bench\` took ${r.durationS} s.`,
    '',
    `${r.method} The machine is shared and noisy: compare ratios within one run, not absolute figures across runs.`,
    '',
  )

  // B1
  const rt = r.b1.rttsMs
  push(
    `## B1 cold start: N concurrent requests at launch (first launch, empty storage; RTTs: login ${rt.login} ms, every request ${rt.request} ms, the code exchange included; real timers)`,
    '',
    '| N | contender | wall ms (median) | min–max | wx.login | exchanges | requests sent | left without token | caller saw 200 | left polling | vs limit | article / ours |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  )
  let b1Met = true
  const b1Notes: string[] = []
  for (const [n, row] of Object.entries(r.b1.cold as Record<string, Record<Contender, Summary>>)) {
    for (const c of ['ours', 'article', 'limit'] as Contender[]) {
      const s = row[c]
      push(
        `| ${n} | ${c} | ${f(s.wallMs)} | ${f(s.wallMsMin)}–${f(s.wallMsMax)} | ${s.logins} | ${s.exchanges} | ${s.requests} | ${s.withoutToken} | ${s.ok} | ${s.leftPolling} | ${x(s.wallMs / row.limit.wallMs)} | ${c === 'article' ? x(s.wallMs / row.ours.wallMs) : ''} |`,
      )
    }
    const q = row.ours.wallMs / row.limit.wallMs
    if (q > 1.05 || row.ours.logins !== 1) {
      b1Met = false
      b1Notes.push(`N=${n}: ours ${x(q)} limit (${f(row.ours.wallMs - row.limit.wallMs)} ms over), ${row.ours.logins} login(s)`)
    }
  }
  push(
    '',
    `Target ours ≤ 1.05 × limit with exactly one login at every N: ${verdict(b1Met, b1Met ? 'every N' : b1Notes.join('; '))}.`,
    'The article is "faster" only because its requests leave at once without a token (its checkSession resolves `UNAUTH` before the login ends) and all come back 401; none of its callers gets data, and its reLogin waiters keep polling every 500 ms forever ("left polling").',
    '',
    '![B1 wall time vs N](b1-cold-start.svg)',
    '',
    `### B1r relaunch with a valid stored token (checkSession RTT ${rt.checkSession} ms)`,
    '',
    "| N | ours (defaults) ms | ours, `sessionCheck: 'blocking'` ms | article ms | limit ms | defaults / limit | blocking / limit | article / defaults | defaults: checkSession, wx.login | blocking: checkSession, wx.login | article wx.login | article left polling |",
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  )
  let b1rMet = true
  const b1rNotes: string[] = []
  for (const [n, row] of Object.entries(r.b1.relaunch as Record<string, Record<RelaunchContender, Summary>>)) {
    const ours = row.ours
    const blocking = row['ours-blocking']
    push(
      `| ${n} | ${f(ours.wallMs)} | ${f(blocking.wallMs)} | ${f(row.article.wallMs)} | ${f(row.limit.wallMs)} | ${x(ours.wallMs / row.limit.wallMs)} | ${x(blocking.wallMs / row.limit.wallMs)} | ${x(row.article.wallMs / ours.wallMs)} | ${ours.checkSessions}, ${ours.logins} | ${blocking.checkSessions}, ${blocking.logins} | ${row.article.logins} | ${row.article.leftPolling} |`,
    )
    const q = ours.wallMs / row.limit.wallMs
    if (q > 1.05 || ours.logins !== 0) {
      b1rMet = false
      b1rNotes.push(`N=${n}: ${x(q)} limit (${f(ours.wallMs - row.limit.wallMs)} ms over), ${ours.logins} wx.login`)
    }
  }
  push(
    '',
    `Target ours with its defaults ≤ 1.05 × limit with no wx.login at every N: ${verdict(b1rMet, b1rMet ? 'every N' : b1rNotes.join('; '))}.`,
    "By default (`sessionCheck: 'background'`) ours sends the stored token at once, like the floor, and runs `wx.checkSession` alongside; `'blocking'` holds every request until `wx.checkSession` answers (one RTT) even though the stored backend token is valid. The article adds its 500 ms poll to every request but the first, then logs in again for nothing.",
    '',
  )

  // B2
  const b2 = r.b2 as Record<Contender, Summary>
  // wx.login, the code exchange, then the request and its replay.
  const floor = rt.login + 3 * rt.request
  const b2ok = b2.ours.logins === 1 && b2.ours.wallMs <= 1.05 * floor
  push(
    '## B2 401 storm: 100 concurrent requests, every token revoked server-side (each request answered 401 once)',
    '',
    '| contender | wall ms (median) | min–max | relogins (wx.login) | exchanges | replays | caller saw 200 | caller saw 401 | left polling | vs limit |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  )
  for (const c of ['ours', 'article', 'limit'] as Contender[]) {
    const s = b2[c]
    push(
      `| ${c} | ${f(s.wallMs)} | ${f(s.wallMsMin)}–${f(s.wallMsMax)} | ${s.logins} | ${s.exchanges} | ${s.requests - 100} | ${s.ok} | ${s.failed} | ${s.leftPolling} | ${x(s.wallMs / b2.limit.wallMs)} |`,
    )
  }
  push(
    '',
    `Target 1 relogin and ≤ 1.05 × (relogin + 2 request RTTs) = ${f(1.05 * floor)} ms: ${verdict(b2ok, `${b2.ours.logins} relogin, ${f(b2.ours.wallMs)} ms = ${x(b2.ours.wallMs / floor)} the ${floor} ms floor, ${x(b2.ours.wallMs / b2.limit.wallMs)} the measured limit`)}.`,
    'The article has no 401 handling: every caller gets the 401.',
    '',
  )

  // B3
  const b3 = r.b3.runtime
  const q3 = b3.cpuRatios.oursVsNoop
  const us = (variant: string) => 1e6 / b3.cpuReqPerSec[variant]
  push(
    '## B3 fast path',
    '',
    "Sequential `uni.request` calls through the compiled mp-weixin runtime (minified vendor.js of the B4 scratch apps, the suite's fake `wx` answering every request on the next microtask), valid session, already checked. Any plugin built on `uni.addInterceptor` pays uni's interceptor machinery, so the floor is the same app with an empty `invoke` interceptor. Rates are per second of each child's own CPU time (a busy machine steals wall time from whichever child it hits; CPU time counts only the child's work); ratios are medians of the per-round ratios.",
    '',
    '| build | req per CPU-second (median) | CPU µs per request | vs empty interceptor | vs no interceptor | req/s wall (median) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| without any interceptor | ${f(b3.cpuReqPerSec.base, 0)} | ${f(us('base'), 2)} | | 1.00× | ${f(b3.reqPerSec.base, 0)} |`,
    `| with an empty \`invoke\` interceptor only (uni's machinery: the floor) | ${f(b3.cpuReqPerSec['base-noop-interceptor'], 0)} | ${f(us('base-noop-interceptor'), 2)} | 1.00× | ${x(b3.cpuRatios.noopVsBase)} | ${f(b3.reqPerSec['base-noop-interceptor'], 0)} |`,
    `| with the plugin | ${f(b3.cpuReqPerSec.ours, 0)} | ${f(us('ours'), 2)} | ${x(q3)} | ${x(b3.cpuRatios.oursVsBase)} | ${f(b3.reqPerSec.ours, 0)} |`,
    '',
    `Target ours ≥ 0.95 × the empty-interceptor floor: ${verdict(q3 >= 0.95, `${x(q3)}; the plugin's own work is ${f(us('ours') - us('base-noop-interceptor'), 2)} CPU µs per request on top of uni's ${f(us('base-noop-interceptor') - us('base'), 2)} µs`)}.`,
    `On wall time: ours ${x(b3.ratios.oursVsNoop)} the empty interceptor, ${x(b3.ratios.oursVsBase)} no interceptor; empty interceptor ${x(b3.ratios.noopVsBase)} no interceptor.`,
    `Sanity (last child): plugin build sent ${b3.counts.ours.withToken} of ${b3.counts.ours.request} requests with a token, ${b3.counts.ours.login} wx.login, ${b3.counts.ours.checkSession} checkSession.`,
    '',
    '| micro-benchmark (tinybench, Node, real uni API layer) | ops/s (median) | latency ns (median) |',
    '| --- | ---: | ---: |',
    ...r.b3.micro.map((m: any) => `| ${m.name} | ${f(m.opsPerSec, 0)} | ${f(m.latencyNs, 0)} |`),
    '',
  )

  // B4
  const s4 = r.b4
  const add = (v: string, base = 'base') => ({ raw: s4[v].raw - s4[base].raw, gzip: s4[v].gzip - s4[base].gzip })
  push(
    '## B4 size added to the minified mp-weixin build of one minimal app',
    '',
    'Bytes of every output file (raw, and gzip -9 per file summed) minus the same app without any request layer. Base app: ' +
      `${s4.base.raw} B raw, ${s4.base.gzip} B gzip.`,
    '',
    '| contender | added raw B | added gzip B |',
    '| --- | ---: | ---: |',
    `| limit | 0 | 0 |`,
    `| ours, app already using Pinia (vs base + Pinia): the default install (createUniAuth + useAuthLifecycle) | ${add('ours', 'base-pinia').raw} | ${add('ours', 'base-pinia').gzip} |`,
    `| ours, app already using Pinia, also using the guard (createAuthGuard) and phone binding (bindPhone) | ${add('ours-guard-phone', 'base-pinia').raw} | ${add('ours-guard-phone', 'base-pinia').gzip} |`,
    `| ours, default install, incl. the Pinia it needs (vs base) | ${add('ours').raw} | ${add('ours').gzip} |`,
    `| Pinia alone | ${add('base-pinia').raw} | ${add('base-pinia').gzip} |`,
    `| article (port as written) | ${add('article').raw} | ${add('article').gzip} |`,
    `| alova + @alova/adapter-uniapp (client token authentication) | ${add('alova').raw} | ${add('alova').gzip} |`,
    `| luch-request (+ minimal login-on-missing-token interceptor) | ${add('luch-request').raw} | ${add('luch-request').gzip} |`,
    '',
    `Target ours ≤ 3.5 KB (3584 B) gzip over an app that already uses Pinia: ${verdict(add('ours', 'base-pinia').gzip <= 3584, `${add('ours', 'base-pinia').gzip} B over an app with Pinia, ${add('ours').gzip} B including Pinia`)}.`,
    '',
    ...moduleTable(r.b4Modules),
  )

  // B5
  const b5 = r.b5
  const row5 = (name: string, v: any) => `| ${name} | ${f(v.reqPerSec, 0)} | ${v.p50Ms} | ${v.p99Ms} | ${v.non2xx} | ${v.errors} |`
  const seq = b5.sequentialP50Ms
  push(
    `## B5 reference backend (autocannon, ${b5.connections} connections, ${b5.durationS} s per run; mock WeChat at zero latency; separate processes; PostgreSQL with fsync on)`,
    '',
    '| endpoint | req/s (median) | p50 ms | p99 ms | non-2xx | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row5('bare fastify `GET /me`, same JSON, LOG_LEVEL=warn (ceiling)', b5.bare),
    row5('`GET /me`, SQLite, LOG_LEVEL=warn', b5.me),
    row5('`GET /me`, SQLite, LOG_LEVEL=warn, user cache off (`USER_CACHE_TTL_MS=0`)', b5.meNoUserCache),
    row5('`GET /me`, PostgreSQL, LOG_LEVEL=warn', b5.mePostgres),
    row5('bare fastify `GET /me`, LOG_LEVEL=info', b5.bareInfo),
    row5('`GET /me`, SQLite, LOG_LEVEL=info (as `npm start`)', b5.meInfo),
    row5('`POST /auth/login` (fresh code each), SQLite', b5.login),
    row5('`POST /auth/login` (fresh code each), PostgreSQL', b5.loginPostgres),
    row5('mock `GET /sns/jscode2session` alone', b5.mockCode2Session),
    '',
    `\`GET /me\` ÷ bare, per round then median: SQLite ${x(b5.meRatio.sqlite)}, PostgreSQL ${x(b5.meRatio.postgres)}, SQLite without the user cache ${x(b5.meRatio.sqliteNoUserCache)}, SQLite at LOG_LEVEL=info ÷ bare at info ${x(b5.meRatio.sqliteInfo)}. Every request of a run carries the same token, so after the first one the verified-token and user caches answer; the row without the user cache shows the cost of the database read.`,
    '',
    `Sequential, one keep-alive connection, p50: mock code2Session alone ${f(seq.mockCode2Session, 3)} ms; login ${f(seq.login, 3)} ms on SQLite (overhead ${f(seq.overhead, 3)} ms), ${f(seq.loginPostgres, 3)} ms on PostgreSQL (overhead ${f(seq.overheadPostgres, 3)} ms). A PostgreSQL login of a known identity is two round trips, both named prepared statements whose commits do not wait for the disk: the code claim (a lost claim can only let a replayed code reach the vendor, which refuses it) and one statement for the identity's session key and the refresh family (a lost one only makes its client log in again; a first login, which creates the user, waits for the disk: docs/ARCHITECTURE.md, "What a PostgreSQL commit waits for"). One durable single-row commit took ${f(seq.postgresCommit, 3)} ms p50 on this machine during the run.`,
    '',
    `Target \`GET /me\` ≥ 0.5× the bare route: SQLite ${verdict(b5.meRatio.sqlite >= 0.5, x(b5.meRatio.sqlite))}, PostgreSQL ${verdict(b5.meRatio.postgres >= 0.5, x(b5.meRatio.postgres))}. Target login overhead ≤ 1 ms p50: SQLite ${verdict(seq.overhead <= 1, `${f(seq.overhead, 2)} ms`)}, PostgreSQL ${verdict(seq.overheadPostgres <= 1, `${f(seq.overheadPostgres, 2)} ms`)}.`,
    '',
    ...b6Section(r.b6),
    ...mutationSection(),
  )
  return `${lines.join('\n')}\n`
}

/** B6: the login limits against one carrier NAT address, per upstream latency. */
function b6Section(rows: LoginLimitsRow[] | undefined): string[] {
  if (!rows) return []
  const met = rows.every((row) => row.validFailed === 0 && row.slowestValidMs < 10_000)
  return [
    '## B6 login limits behind one address (in process, fastify inject, SQLite in memory, mock WeChat with the latency given)',
    '',
    '| upstream latency | 200 valid logins at once: refused (429) | not 200 | slowest valid answer | 200 junk codes at once: upstream calls | junk refused (429) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.latencyMs} ms | ${row.validRefused} | ${row.validFailed} | ${row.slowestValidMs} ms | ${row.junkUpstreamCalls} | ${row.junkRefused} |`,
    ),
    '',
    `Target every valid login answered 200 within the client's 10 s login deadline: ${verdict(met, `slowest ${Math.max(...rows.map((row) => row.slowestValidMs))} ms`)}. Junk codes cost at most the bucket (\`RATE_LIMIT_LOGIN_FAILURES\`, 30) in upstream calls: ${verdict(
      rows.every((row) => row.junkUpstreamCalls <= 30),
      `at most ${Math.max(...rows.map((row) => row.junkUpstreamCalls))}`,
    )}.`,
    '',
  ]
}

/** The committed mutation score beside the measured figures (`npm run test:mutation` refreshes it between bench runs). */
function mutationSection(): string[] {
  const score = readScore()
  return score ? [START, ...benchSection(score), END, ''] : []
}

/** Per-module bytes of ours (esbuild metafile), the default install next to the one with guard and phone. */
function moduleTable(m: { default: ModuleBreakdown; guardPhone: ModuleBreakdown }): string[] {
  const withExtras = new Map(m.guardPhone.modules.map((row) => [row.module, row.bytes]))
  const seen = new Set<string>()
  const rows = [...m.default.modules, ...m.guardPhone.modules].filter((row) => !seen.has(row.module) && seen.add(row.module))
  return [
    '### B4 per module: bytes each source module contributes to the minified plugin',
    '',
    `esbuild bundle of \`${m.default.imports.join('; ')}\` (default) and of \`${m.guardPhone.imports.join('; ')}\` (with guard and phone), vue / pinia / @dcloudio/uni-app external, production defines, minified. Totals: ${m.default.total} B (${m.default.gzip} B gzip) and ${m.guardPhone.total} B (${m.guardPhone.gzip} B gzip); uni's own build minifies a little differently, so they differ slightly from the table above.`,
    '',
    '| module | default install B | with guard + phone B |',
    '| --- | ---: | ---: |',
    ...rows.map((row) => {
      const base = m.default.modules.find((d) => d.module === row.module)
      return `| \`${row.module}\` | ${base ? base.bytes : '—'} | ${withExtras.get(row.module) ?? '—'} |`
    }),
    `| **total (incl. the entry's own glue)** | **${m.default.total}** | **${m.guardPhone.total}** |`,
    '',
  ]
}

/** B1 wall time vs N (log scale) for ours / article / limit, as a self-contained SVG. */
export function renderSvg(cold: Record<string, Record<Contender, Summary>>): string {
  const ns = Object.keys(cold)
    .map(Number)
    .sort((a, b) => a - b)
  const W = 640,
    H = 380,
    L = 60,
    R = 130,
    T = 40,
    B = 50
  const maxY = Math.max(...ns.flatMap((n) => (['ours', 'article', 'limit'] as Contender[]).map((c) => cold[n]![c].wallMs))) * 1.15
  const px = (i: number) => L + (i / Math.max(1, ns.length - 1)) * (W - L - R)
  const py = (v: number) => T + (1 - v / maxY) * (H - T - B)
  const colors: Record<Contender, string> = { ours: '#1f77b4', article: '#d62728', limit: '#2ca02c' }
  const dash: Record<Contender, string> = { ours: '', article: ' stroke-dasharray="6 4"', limit: ' stroke-dasharray="2 3"' }
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  )
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`)
  parts.push(
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">B1 cold start: wall time until all N requests settled (median)</text>`,
  )
  const step = maxY > 400 ? 100 : 50
  for (let v = 0; v <= maxY; v += step) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${py(v)}" y2="${py(v)}" stroke="#eee"/>`)
    parts.push(`<text x="${L - 6}" y="${py(v) + 4}" text-anchor="end">${v}</text>`)
  }
  ns.forEach((n, i) => parts.push(`<text x="${px(i)}" y="${H - B + 18}" text-anchor="middle">${n}</text>`))
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">N concurrent requests at launch (log scale)</text>`)
  parts.push(`<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">ms</text>`)
  parts.push(
    `<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#333"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#333"/>`,
  )
  ;(['limit', 'ours', 'article'] as Contender[]).forEach((c, k) => {
    const pts = ns.map((n, i) => `${px(i).toFixed(1)},${py(cold[n]![c].wallMs).toFixed(1)}`).join(' ')
    parts.push(`<polyline fill="none" stroke="${colors[c]}" stroke-width="2"${dash[c]} points="${pts}"/>`)
    ns.forEach((n, i) =>
      parts.push(`<circle cx="${px(i).toFixed(1)}" cy="${py(cold[n]![c].wallMs).toFixed(1)}" r="3" fill="${colors[c]}"/>`),
    )
    const ly = T + 10 + k * 18
    parts.push(`<line x1="${W - R + 12}" x2="${W - R + 36}" y1="${ly}" y2="${ly}" stroke="${colors[c]}" stroke-width="2"${dash[c]}/>`)
    parts.push(`<text x="${W - R + 42}" y="${ly + 4}">${c}</text>`)
  })
  parts.push(
    `<text x="${W - R + 12}" y="${T + 76}" font-size="10" fill="#555"><tspan x="${W - R + 12}">article: all requests</tspan><tspan x="${W - R + 12}" dy="12">leave without a token</tspan><tspan x="${W - R + 12}" dy="12">and get 401</tspan></text>`,
  )
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}
