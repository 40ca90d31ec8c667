import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Scenarios on the compiled mp-weixin demo app. Run with
 * `npx vitest run --config tests/mp-host/vitest.config.ts`; the global setup builds the app first
 * when dist/build/mp-weixin is missing or older than its sources.
 */
export default defineConfig({
  root,
  // The scenarios load the build through their own loader: none of the uni() / vue plugins apply.
  plugins: [],
  test: {
    include: ['tests/mp-host/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/mp-host/global-setup.ts'],
    setupFiles: ['tests/mp-host/scenarios/setup.ts'],
    restoreMocks: true,
    // Each host loads its own copy of the build and puts the globals back, so per-file isolation
    // buys nothing here and costs seconds: one thread runs all scenario files in ~1.5 s.
    pool: 'threads',
    isolate: false,
    testTimeout: 10_000,
  },
})
