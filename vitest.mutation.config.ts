import { defineConfig } from 'vite'
import base from './vite.config'

/**
 * Its own file, not a project of vite.config.ts: Stryker's vitest runner takes a config file but no
 * `--project` filter, and would run every project in it (builds and browsers included).
 * The suites the mutation run (`npm run test:mutation`) uses: the fast ones only. The compiled
 * mini-program host, the package and e2e suites build apps and start browsers; under a mutant they
 * would cost minutes each, and they test the same modules through a build that Stryker cannot mutate.
 */
const FAST_PROJECTS = ['unit', 'uni-runtime']

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    projects: base.test?.projects?.filter(
      (project) => typeof project === 'object' && 'test' in project && FAST_PROJECTS.includes(String(project.test?.name)),
    ),
  },
})
