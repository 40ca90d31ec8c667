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
      'tests/store/store-contract.test.ts',
      'tests/store/sql-store-housekeeping.test.ts',
      'tests/store/user-cache.test.ts',
      'tests/tokens/tokens.test.ts',
      'tests/routes/refresh.test.ts',
      'tests/routes/logout.test.ts',
      'tests/routes/login.test.ts',
      'tests/auth/session-lifetimes.test.ts',
      'tests/tokens/jwt-access-tokens.test.ts',
      'tests/store/store-errors.test.ts',
      'tests/store/store-contract-edges.test.ts',
      'tests/store/sql-store-layout.test.ts',
      'tests/store/sql-store-failures.test.ts',
    ],
  },
})
