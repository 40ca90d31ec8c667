#!/usr/bin/env node
// Runs the uni CLI with the project root as its input dir. manifest.json and pages.json sit at the
// top level (HBuilderX layout), and the CLI only looks there when UNI_INPUT_DIR is set before it
// starts; a launcher does that on every OS (Windows shells do not take `VAR=x cmd`).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const cli = require.resolve('@dcloudio/vite-plugin-uni/bin/uni.js')

const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, UNI_INPUT_DIR: process.env.UNI_INPUT_DIR ?? root },
})
// Stopping the launcher stops the CLI too (a watch build would otherwise outlive it).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
