import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The multi-instance fault test: its own PostgreSQL, Redis and backend processes (it restarts
// PostgreSQL, so it cannot share the cluster of the main server suite). `npm test` runs it as its
// own step.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tests/fault/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
