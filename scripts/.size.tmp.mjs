import { buildSync } from 'esbuild'
import { gzipSync } from 'node:zlib'
const entry = `import { createUniAuth, useAuthLifecycle } from './src/index.ts'; export { createUniAuth, useAuthLifecycle }`
const r = buildSync({
  stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2018',
  write: false,
  external: ['vue', 'pinia', '@dcloudio/uni-app'],
  metafile: true,
})
const code = r.outputFiles[0].text
console.log('bundle raw', code.length, 'gz', gzipSync(code, { level: 9 }).length)
const m = Object.values(r.metafile.outputs)[0].inputs
for (const [f, v] of Object.entries(m).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput))
  console.log(String(v.bytesInOutput).padStart(6), f)
import { writeFileSync } from 'node:fs'
writeFileSync('/tmp/bundle.js', code)
