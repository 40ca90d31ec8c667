#!/usr/bin/env node
// The backend's committed mutation score, mutation/server-score.json.
//   node server/scripts/mutation-score.mjs [report] [score file]   after `npm run test:mutation:server`: Stryker's JSON
//                                                               report → the total and one row per mutated file, in
//                                                               Stryker's own terms (score = detected / (detected +
//                                                               survived + no coverage); detected = killed + timed out),
//                                                               with a sha256 of every mutated source
//   node server/scripts/mutation-score.mjs check                 in `npm test`: fails when the committed score is below
//                                                               the threshold or was measured on other sources
// The run takes minutes, too slow for every `npm test`; the hashes keep the committed score honest.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { globSync } from 'tinyglobby'
import { sha256, sourceDrift } from '../../scripts/mutation-score.mjs'
import stryker from '../stryker.config.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
const server = fileURLToPath(new URL('..', import.meta.url))
/** The score `npm test` demands, in percent (Stryker's `break` threshold stops a run below it). */
const THRESHOLD = stryker.thresholds.break
const RERUN = 'npm run test:mutation:server'
const defaultScorePath = `${root}mutation/server-score.json`

const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'RuntimeError', 'CompileError', 'Ignored']

function tally(mutants, reportPath) {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0]))
  for (const { status } of mutants) {
    if (!(status in counts)) throw new Error(`Unknown mutant status "${status}" in ${reportPath}`)
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

function write(reportPath = `${root}test-results/mutation-server/mutation.json`, scorePath = defaultScorePath) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'))
  const files = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))
  const score = {
    tool: 'StrykerJS',
    about: `Written by \`${RERUN}\` and checked by \`npm test\`: the score must stay ≥ threshold, and every file's sha256 must match the source (rerun after changing one).`,
    threshold: THRESHOLD,
    total: tally(
      files.flatMap(([, file]) => file.mutants),
      reportPath,
    ),
    files: Object.fromEntries(
      files.map(([path, file]) => [`server/${path}`, { ...tally(file.mutants, reportPath), sha256: sha256(file.source) }]),
    ),
  }
  writeFileSync(scorePath, `${JSON.stringify(score, null, 2)}\n`)
  const rows = Object.entries(score.files).map(([path, { sha256: _, ...t }]) => ({ file: path, ...t }))
  console.table([...rows, { file: 'total', ...score.total }])
}

function check(scorePath = defaultScorePath) {
  if (!existsSync(scorePath)) fail(`${scorePath} is missing: run ${RERUN} and commit mutation/`)
  const score = JSON.parse(readFileSync(scorePath, 'utf8'))
  const problems = []
  if (!(score.total?.score >= THRESHOLD))
    problems.push(`the committed server mutation score ${score.total?.score} % is below ${THRESHOLD} %`)
  const expected = globSync(stryker.mutate, { cwd: server })
    .map((file) => `server/${file}`)
    .sort()
  problems.push(...sourceDrift(score.files, expected))
  if (problems.length > 0)
    fail(`${problems.join('\n')}\nRun ${RERUN} (incremental: only the changed code is mutated again) and commit mutation/.`)
  console.log(
    `Server mutation score ${score.total.score} % (≥ ${THRESHOLD} %), measured on the current sources of ${expected.length} files.`,
  )
}

function fail(message) {
  console.error(`\n${message}`)
  process.exit(1)
}

const [command, ...args] = process.argv.slice(2)
if (command === 'check') check(...args)
else write(command, ...args)
