import { defineConfig } from 'vitest/config'
import base from './vitest.config.js'

// The suites that exercise the mutated token and store code (see stryker.config.mjs), and nothing
// that starts processes or clusters of its own (migrations, SQLite crash, store outage, package):
// each mutant runs only the tests that cover it, but the initial run and static mutants run them all.
// Same setup as the main suite (one redis-server and PostgreSQL cluster per test runner).
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'tests/store-contract.test.ts',
      'tests/sql-store-housekeeping.test.ts',
      'tests/user-cache.test.ts',
      'tests/tokens.test.ts',
      'tests/refresh.test.ts',
      'tests/logout.test.ts',
      'tests/login.test.ts',
      'tests/session-lifetimes.test.ts',
      'tests/jwt-access-tokens.test.ts',
      'tests/store-errors.test.ts',
      'tests/store-contract-edges.test.ts',
      'tests/sql-store-layout.test.ts',
      'tests/sql-store-failures.test.ts',
    ],
  },
})
