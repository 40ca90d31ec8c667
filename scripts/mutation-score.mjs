#!/usr/bin/env node
// The committed mutation scores, mutation/score.json (client) and mutation/server-score.json (backend), and their check:
// one implementation for both packages, which each invoke it as a process.
//   node scripts/mutation-score.mjs run [--force]   `npm run test:mutation`: Stryker (incremental unless --force), timed,
//                                                   then `write`
//   node scripts/mutation-score.mjs write           Stryker's JSON report → mutation/score.json, with a hash of every
//                                                   mutated source; refreshes the score tables in the READMEs and
//                                                   the bench results
//   node scripts/mutation-score.mjs check           in `npm test`: fails when the committed score is below the threshold,
//                                                   or when the mutated sources are not the ones it was measured on
//   node scripts/mutation-score.mjs table           the per-file table as Markdown (README, bench results)
//   node scripts/mutation-score.mjs server write    after `npm run test:mutation:server`: the backend's report →
//                                                   mutation/server-score.json (Stryker's own terms: score = detected /
//                                                   (detected + survived + no coverage); detected = killed + timed out)
//   node scripts/mutation-score.mjs server check    in `npm test`: the same check for the backend (server/stryker.config.mjs)
// The mutation run takes minutes, too slow for every `npm test`; the hashes make sure the committed score
// still describes the code it claims to describe.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { calculateMetrics } from 'mutation-testing-metrics'
import { globSync } from 'tinyglobby'
import stryker from '../stryker.config.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
/** The score `npm test` demands, in percent. */
const THRESHOLD = 90
const SCORE_FILE = 'mutation/score.json'
const EQUIVALENTS_FILE = 'mutation/equivalent-mutants.md'
const RERUN = 'npm run test:mutation'
/** Documents that show the score, between these markers, in their language. */
const DOCS = [
  ['README.md', 'en'],
  ['README.zh-CN.md', 'zh'],
  ['bench/results/latest.md', 'bench'],
]
export const START = '<!-- mutation-score:start -->'
export const END = '<!-- mutation-score:end -->'
const HEADERS = {
  en: ['File', 'Score', 'Mutants', 'Killed', 'Timed out', 'Survived', 'No coverage', 'All files'],
  zh: ['文件', '得分', '变异体', '已杀死', '超时', '存活', '未覆盖', '全部文件'],
}

/** Line endings normalized, so a checkout with CRLF hashes like the one that measured. */
const sha256 = (text) => createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex')
const percent = (value) => Math.round(value * 100) / 100
const read = (path) => readFileSync(join(root, path), 'utf8')

/** The committed score, or `null` when there is none yet. */
export function readScore() {
  return existsSync(join(root, SCORE_FILE)) ? JSON.parse(read(SCORE_FILE)) : null
}

/** The files Stryker mutates, from its own `mutate` patterns. */
function mutatedFiles() {
  return globSync(stryker.mutate, { cwd: root }).sort()
}

function counts(metrics) {
  return {
    score: percent(metrics.mutationScore),
    mutants: metrics.totalValid,
    killed: metrics.killed,
    timeout: metrics.timeout,
    survived: metrics.survived,
    noCoverage: metrics.noCoverage,
  }
}

/** `file:line:column Mutator` of every survivor that mutation/equivalent-mutants.md explains. */
function listedEquivalents() {
  if (!existsSync(join(root, EQUIVALENTS_FILE))) return new Set()
  const rows = read(EQUIVALENTS_FILE).matchAll(/^\|\s*`([^`]+:\d+:\d+)`\s*\|\s*(\w+)\s*\|/gm)
  return new Set([...rows].map(([, location, mutator]) => `${location} ${mutator}`))
}

/** How many survivors mutation/equivalent-mutants.md explains, and which it does not. */
function explainSurvivors({ survivors }) {
  const equivalents = listedEquivalents()
  const unexplained = survivors.filter((key) => !equivalents.has(key))
  return { equivalent: survivors.length - unexplained.length, unexplained }
}

function run(args) {
  // Without a state file (or with --force) Stryker mutates everything: say which kind of run the time belongs to.
  const kind = args.includes('--force') || !existsSync(join(root, stryker.incrementalFile)) ? 'full' : 'incremental'
  const started = Date.now()
  const child = spawnSync('npx', ['stryker', 'run', ...args], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (child.status !== 0) fail(`stryker run failed (exit ${child.status})`)
  write({ kind, minutes: Math.round((Date.now() - started) / 6000) / 10 })
}

function write(lastRun = null) {
  const reportPath = stryker.jsonReporter.fileName
  if (!existsSync(join(root, reportPath))) fail(`no Stryker report at ${reportPath}: run ${RERUN}`)
  const report = JSON.parse(read(reportPath))
  const missing = mutatedFiles().filter((file) => !report.files[file])
  if (missing.length > 0) fail(`the report lacks ${missing.join(', ')}: run ${RERUN}`)
  const survivors = Object.entries(report.files).flatMap(([file, result]) =>
    result.mutants
      .filter((mutant) => mutant.status === 'Survived' || mutant.status === 'NoCoverage')
      .map((mutant) => `${file}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName}`),
  )
  const files = Object.fromEntries(
    Object.entries(report.files)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([file, result]) => [file, { ...counts(calculateMetrics({ [file]: result }).metrics), sha256: sha256(result.source) }]),
  )
  const score = {
    about: `Written by \`${RERUN}\` from Stryker's report and checked by \`npm test\`: the score must stay ≥ threshold, and every file's sha256 must match the source (rerun after changing one).`,
    threshold: THRESHOLD,
    ...counts(calculateMetrics(report.files).metrics),
    lastRun,
    // Survived or not covered: each must be killed by a test or explained in mutation/equivalent-mutants.md.
    survivors,
    files,
  }
  writeFileSync(join(root, SCORE_FILE), `${JSON.stringify(score, null, 2)}\n`)
  console.log(`${SCORE_FILE}: ${score.score} % over ${score.mutants} mutants`)
  reportSurvivors(score)
  updateDocs(score)
  console.log(`\n${markdownTable(score)}`)
  if (score.score < THRESHOLD) fail(`the mutation score ${score.score} % is below ${THRESHOLD} %`)
}

/** Puts the new figures between the markers of each document, so no document shows an older score. */
function updateDocs(score) {
  const updated = []
  for (const [path, language] of DOCS) {
    if (!existsSync(join(root, path))) continue
    const text = read(path)
    const start = text.indexOf(START)
    const end = text.indexOf(END)
    if (start < 0 || end < start) {
      console.warn(`${path} has no ${START} … ${END} block: its score is not updated`)
      continue
    }
    const block = language === 'bench' ? benchSection(score).join('\n') : markdownTable(score, language)
    writeFileSync(join(root, path), `${text.slice(0, start + START.length)}\n${block}\n${text.slice(end)}`)
    if (language !== 'bench') updated.push(path)
  }
  // Biome aligns Markdown tables; the READMEs must stay as `npm run format` leaves them.
  if (updated.length > 0)
    spawnSync('npx', ['biome', 'format', '--write', ...updated], { cwd: root, stdio: 'ignore', shell: process.platform === 'win32' })
}

function check() {
  const score = readScore()
  if (!score) fail(`${SCORE_FILE} is missing: run ${RERUN} and commit mutation/`)
  const problems = []
  if (!(score.score >= THRESHOLD)) problems.push(`the committed mutation score ${score.score} % is below ${THRESHOLD} %`)
  const expected = mutatedFiles()
  problems.push(...sourceDrift(score.files, expected))
  if (problems.length > 0) {
    fail(
      `${problems.join('\n')}\nRun ${RERUN} (incremental after a first run in this checkout: only the changed code is mutated again) and commit mutation/.`,
    )
  }
  console.log(`Mutation score ${score.score} % (≥ ${THRESHOLD} %), measured on the current sources of ${expected.length} files.`)
  reportSurvivors(score)
}

/**
 * How the mutated files (repository paths) differ from those a committed score was measured on:
 * files not measured yet, measured but no longer mutated, or changed since (their sha256).
 */
function sourceDrift(recordedFiles, expected) {
  const recorded = Object.keys(recordedFiles)
  const added = expected.filter((file) => !recorded.includes(file))
  const removed = recorded.filter((file) => !expected.includes(file))
  const changed = expected.filter((file) => recorded.includes(file) && recordedFiles[file].sha256 !== sha256(read(file)))
  return [
    ...(added.length > 0 ? [`not measured yet: ${added.join(', ')}`] : []),
    ...(removed.length > 0 ? [`measured but no longer mutated: ${removed.join(', ')}`] : []),
    ...(changed.length > 0 ? [`changed since the score was measured: ${changed.join(', ')}`] : []),
  ]
}

/** Survivors not explained as equivalent are tests still to write: named, though below the threshold they fail nothing. */
function reportSurvivors(score) {
  const { equivalent, unexplained } = explainSurvivors(score)
  console.log(`${equivalent} surviving mutants are listed as equivalent in ${EQUIVALENTS_FILE}.`)
  if (unexplained.length === 0) return
  console.warn(`${unexplained.length} are neither killed nor listed there:`)
  for (const key of unexplained) console.warn(`  ${key}`)
}

/** The per-file table as Markdown, headed in English or Chinese. */
function markdownTable(score, language = 'en') {
  const headers = HEADERS[language]
  const row = (name, c) =>
    `| ${name} | ${c.score.toFixed(2)} % | ${c.mutants} | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} |`
  return [
    `| ${headers.slice(0, 7).join(' | ')} |`,
    '| --- | --: | --: | --: | --: | --: | --: |',
    ...Object.entries(score.files).map(([file, c]) => row(`\`${file}\``, c)),
    row(`**${headers[7]}**`, score),
  ].join('\n')
}

/** The section of bench/results/latest.md (between the markers): the committed score, which the bench does not measure. */
export function benchSection(score) {
  const { equivalent } = explainSurvivors(score)
  const run = score.lastRun ? ` Its last run (${score.lastRun.kind}) took ${score.lastRun.minutes} min.` : ''
  return [
    '## Mutation score (the committed `mutation/score.json`, from `npm run test:mutation`; not measured by this run)',
    '',
    `StrykerJS mutates the client's core and runs the fast suites (\`unit\`, \`uni-runtime\`) against every mutant: **${score.score.toFixed(2)} %** of ${score.mutants} mutants are detected (\`npm test\` requires ≥ ${score.threshold} %). Of the ${score.survivors.length} undetected (${score.survived} survived, ${score.noCoverage} not covered), ${equivalent} are listed as equivalent (no observable behaviour differs) in \`mutation/equivalent-mutants.md\`.${run}`,
    '',
    markdownTable(score),
  ]
}

/** The backend's run: Stryker works in server/ with server/stryker.config.mjs (its mutate patterns and `break` threshold). */
const SERVER = {
  dir: 'server',
  scoreFile: 'mutation/server-score.json',
  report: 'test-results/mutation-server/mutation.json',
  rerun: 'npm run test:mutation:server',
}
const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'RuntimeError', 'CompileError', 'Ignored']

/** The backend's Stryker config, read as data (its `mutate` patterns and thresholds). */
async function serverStryker() {
  return (await import(pathToFileURL(join(root, SERVER.dir, 'stryker.config.mjs')).href)).default
}

function tally(mutants) {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0]))
  for (const { status } of mutants) {
    if (!(status in counts)) fail(`Unknown mutant status "${status}" in ${SERVER.report}`)
    counts[status] += 1
  }
  const detected = counts.Killed + counts.Timeout
  const undetected = counts.Survived + counts.NoCoverage
  return {
    mutants: mutants.length,
    killed: counts.Killed,
    timedOut: counts.Timeout,
    survived: counts.Survived,
    noCoverage: counts.NoCoverage,
    errors: counts.RuntimeError + counts.CompileError,
    ignored: counts.Ignored,
    score: detected + undetected === 0 ? 100 : Math.round((detected / (detected + undetected)) * 10_000) / 100,
  }
}

async function writeServer() {
  const { thresholds } = await serverStryker()
  if (!existsSync(join(root, SERVER.report))) fail(`no Stryker report at ${SERVER.report}: run ${SERVER.rerun}`)
  const report = JSON.parse(read(SERVER.report))
  const files = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))
  const score = {
    tool: 'StrykerJS',
    about: `Written by \`${SERVER.rerun}\` and checked by \`npm test\`: the score must stay ≥ threshold, and every file's sha256 must match the source (rerun after changing one).`,
    threshold: thresholds.break,
    total: tally(files.flatMap(([, file]) => file.mutants)),
    files: Object.fromEntries(
      files.map(([path, file]) => [`${SERVER.dir}/${path}`, { ...tally(file.mutants), sha256: sha256(file.source) }]),
    ),
  }
  writeFileSync(join(root, SERVER.scoreFile), `${JSON.stringify(score, null, 2)}\n`)
  const rows = Object.entries(score.files).map(([path, { sha256: _, ...t }]) => ({ file: path, ...t }))
  console.table([...rows, { file: 'total', ...score.total }])
}

async function checkServer() {
  const { mutate, thresholds } = await serverStryker()
  if (!existsSync(join(root, SERVER.scoreFile))) fail(`${SERVER.scoreFile} is missing: run ${SERVER.rerun} and commit mutation/`)
  const score = JSON.parse(read(SERVER.scoreFile))
  const problems = []
  if (!(score.total?.score >= thresholds.break))
    problems.push(`the committed server mutation score ${score.total?.score} % is below ${thresholds.break} %`)
  const expected = globSync(mutate, { cwd: join(root, SERVER.dir) })
    .map((file) => `${SERVER.dir}/${file}`)
    .sort()
  problems.push(...sourceDrift(score.files, expected))
  if (problems.length > 0)
    fail(
      `${problems.join('\n')}\nRun ${SERVER.rerun} (incremental after a first run in this checkout: only the changed code is mutated again) and commit mutation/.`,
    )
  console.log(
    `Server mutation score ${score.total.score} % (≥ ${thresholds.break} %), measured on the current sources of ${expected.length} files.`,
  )
}

function fail(message) {
  console.error(`\n${message}`)
  process.exit(1)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command, ...args] = process.argv.slice(2)
  if (command === 'run') run(args)
  else if (command === 'write') write(readScore()?.lastRun ?? null)
  else if (command === 'check') check()
  else if (command === 'table') console.log(markdownTable(readScore() ?? fail(`${SCORE_FILE} is missing: run ${RERUN}`)))
  else if (command === 'server' && args[0] === 'write') await writeServer()
  else if (command === 'server' && args[0] === 'check') await checkServer()
  else fail('usage: node scripts/mutation-score.mjs run [stryker options] | write | check | table | server write | server check')
}
