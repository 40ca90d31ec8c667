#!/usr/bin/env node
// Turns Stryker's JSON report of the server run into the committed score file
// (mutation/server-score.json): the total and one row per mutated file, in Stryker's own terms
// (score = detected / (detected + survived + no coverage); detected = killed + timed out).
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const reportPath = process.argv[2] ?? `${root}test-results/mutation-server/mutation.json`
const scorePath = process.argv[3] ?? `${root}mutation/server-score.json`

const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'RuntimeError', 'CompileError', 'Ignored']

function tally(mutants) {
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

const report = JSON.parse(readFileSync(reportPath, 'utf8'))
const files = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))
const score = {
  tool: 'StrykerJS',
  total: tally(files.flatMap(([, file]) => file.mutants)),
  files: Object.fromEntries(files.map(([path, file]) => [`server/${path}`, tally(file.mutants)])),
}
writeFileSync(scorePath, `${JSON.stringify(score, null, 2)}\n`)

const rows = Object.entries(score.files).map(([path, t]) => ({ file: path, ...t }))
console.table([...rows, { file: 'total', ...score.total }])
