import { defineConfig } from 'vitest/config'

// The backend's suites, run from this folder (`npx vitest run --root server --project <name>`), each
// as its own step of `npm test`. Not projects of the root's vite.config.ts: this package runs on its
// own (`npm test -w server`).
export default defineConfig({
  test: {
    environment: 'node',
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['tests/**/*.test.ts'],
          // The fault project below restarts its PostgreSQL: it cannot share this suite's cluster.
          exclude: ['tests/fault/**'],
          // Starts one throwaway redis-server and PostgreSQL cluster for the whole run (installing them if needed).
          globalSetup: ['tests/global-setup.ts'],
          testTimeout: 15_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        // The multi-instance fault test: its own PostgreSQL, Redis and backend processes, SIGKILL and a
        // PostgreSQL restart.
        test: {
          name: 'fault',
          include: ['tests/fault/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
