import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Runs on its own (tests/fault/vitest.config.ts): it restarts its PostgreSQL.
    exclude: ['tests/fault/**'],
    environment: 'node',
    // Starts one throwaway redis-server and PostgreSQL cluster for the whole run (installing them if needed).
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 15_000,
    hookTimeout: 120_000,
  },
})
