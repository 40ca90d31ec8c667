// `npm run openapi -w server`: regenerates docs/openapi.json from the route schemas.
// tests/openapi.test.ts fails while the committed file differs from what the code describes.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildOpenApiDocument, OPENAPI_PATH } from './openapi-document.js'

const path = fileURLToPath(OPENAPI_PATH)
mkdirSync(fileURLToPath(new URL('.', OPENAPI_PATH)), { recursive: true })
writeFileSync(path, `${JSON.stringify(await buildOpenApiDocument(), null, 2)}\n`)
// The repository's formatter has the last word on layout; the test compares content only.
const formatted = spawnSync('npx', ['biome', 'format', '--write', path], { stdio: 'inherit' })
if (formatted.status !== 0) process.exit(formatted.status ?? 1)
console.log(`wrote ${path}`)
