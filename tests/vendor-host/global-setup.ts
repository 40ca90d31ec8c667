import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildMiniProgram, checkBuild } from '../../testkit/mp-host/build'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Builds the demo for mp-alipay and mp-toutiao when a build is missing or older than its sources. */
export default function setup(): void {
  for (const platform of ['mp-alipay', 'mp-toutiao']) {
    const dist = join(ROOT, 'dist/build', platform)
    const { stale, reason } = checkBuild(ROOT, dist)
    if (!stale) continue
    console.log(`[vendor-host] building ${platform}: ${reason}`)
    buildMiniProgram(ROOT, platform)
    const after = checkBuild(ROOT, dist)
    if (after.stale) throw new Error(`[vendor-host] the ${platform} build is still stale after building: ${after.reason}`)
  }
}
