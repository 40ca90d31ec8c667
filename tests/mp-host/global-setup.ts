import { join } from 'node:path'
import { startDevBuild } from '../../scripts/dev-build.mjs'
import { buildEnv, buildMpWeixin, checkBuild } from '../../testkit/mp-host/build'
import { DEV_DIST_DIR, DIST_DIR, PROJECT_ROOT } from './scenarios/paths'

/**
 * Builds the demo app for mp-weixin when the build is missing or older than its sources: the
 * production build most scenarios run, and a development build for the timeline's.
 */
export default async function setup(): Promise<void> {
  if (process.env.MP_HOST_SKIP_BUILD === '1') return
  const production = checkBuild(PROJECT_ROOT, DIST_DIR)
  if (production.stale) {
    console.log(`[mp-host] building mp-weixin: ${production.reason}`)
    buildMpWeixin(PROJECT_ROOT)
  }
  const development = checkBuild(PROJECT_ROOT, DEV_DIST_DIR)
  if (development.stale) {
    console.log(`[mp-host] building mp-weixin for development: ${development.reason}`)
    await buildMpWeixinDevelopment(PROJECT_ROOT, DEV_DIST_DIR)
  }
  for (const dir of [DIST_DIR, DEV_DIST_DIR]) {
    const after = checkBuild(PROJECT_ROOT, dir)
    if (after.stale) throw new Error(`[mp-host] the build is still stale after building: ${after.reason}`)
  }
}

/**
 * A development build (`uni build --watch`, stopped after its first build) into `outDir`: `uni build`
 * forces production, which drops the plugin's request events that `<AuthTimeline>` draws.
 */
async function buildMpWeixinDevelopment(root: string, outDir: string): Promise<void> {
  const build = startDevBuild({
    platform: 'mp-weixin',
    cwd: root,
    env: { ...buildEnv(), UNI_OUTPUT_DIR: outDir },
    waitFor: join(outDir, 'common/vendor.js'),
  })
  try {
    await build.ready
  } finally {
    await build.stop()
  }
}
