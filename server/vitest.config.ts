import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Starts one throwaway redis-server for the whole run (installing it if needed).
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 15_000,
    hookTimeout: 120_000,
  },
})
