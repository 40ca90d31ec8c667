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
    restoreMocks: true,
    testTimeout: 10_000,
  },
})
