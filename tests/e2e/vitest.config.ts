import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The demo app in a real browser (Debian chromium via playwright-core) against the real backend and
 * mock WeChat. Run with `npx vitest run --config tests/e2e/vitest.config.ts`. The global setup
 * builds the H5 demo for this run's ports into dist/e2e/h5, starts everything and the browser.
 */
export default defineConfig({
  root,
  // The tests drive a browser; nothing here is compiled by uni() or vue plugins.
  plugins: [],
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/global-setup.ts'],
    // One browser, one backend: scenarios count requests, so files never run side by side.
    fileParallelism: false,
    testTimeout: 30_000,
    // The global setup installs chromium (first run only) and builds the H5 app.
    hookTimeout: 600_000,
  },
})
