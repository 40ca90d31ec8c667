/**
 * Child process for the start-up race test: opens (and so migrates) the store named on the command
 * line, exactly as a backend instance does at start-up, then exits 0; any failure exits 1.
 * Usage: open-store-child.ts <epoch ms to start at> <STORE_URL> [postgres schema]
 */
import { createStore } from '../../src/store/create-store.js'

const [startAt, url, schema] = process.argv.slice(2)
// A common start time lines the siblings up despite their different start-up times, so their
// migrations really overlap.
await new Promise((resolve) => setTimeout(resolve, Number(startAt) - Date.now()))
try {
  const store = await createStore(url ?? '', { schema, poolSize: 2 })
  await store.ping()
  await store.close()
} catch (error) {
  console.error(error)
  process.exit(1)
}
