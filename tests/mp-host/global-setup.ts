import { buildMpWeixin, checkBuild } from '../../testkit/mp-host/build'
import { DIST_DIR, PROJECT_ROOT } from './scenarios/paths'

/** Builds the demo app for mp-weixin when the build is missing or older than its sources. */
export default function setup(): void {
  if (process.env.MP_HOST_SKIP_BUILD === '1') return
  const { stale, reason } = checkBuild(PROJECT_ROOT, DIST_DIR)
  if (!stale) return
  console.log(`[mp-host] building mp-weixin: ${reason}`)
  buildMpWeixin(PROJECT_ROOT)
  const after = checkBuild(PROJECT_ROOT, DIST_DIR)
  if (after.stale) throw new Error(`[mp-host] the build is still stale after building: ${after.reason}`)
}
