import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * The published package as a user gets it: `npm pack`, installed into a scratch uni-app outside
 * this repository, built for mp-weixin and run in the mini-program host.
 * Run with `npx vitest run --config tests/package/vitest.config.ts`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  plugins: [],
  test: {
    include: ['tests/package/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
})
