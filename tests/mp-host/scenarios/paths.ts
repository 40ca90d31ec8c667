import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The project whose mp-weixin build the scenarios run: this repository, or another checkout of it
 * (`MP_HOST_PROJECT_ROOT=/path/to/copy`), e.g. to try a deliberately broken engine without touching
 * the shared tree.
 */
export const PROJECT_ROOT = process.env.MP_HOST_PROJECT_ROOT ?? fileURLToPath(new URL('../../..', import.meta.url))
export const DIST_DIR = join(PROJECT_ROOT, 'dist/build/mp-weixin')
/** A development build of the same app (request events kept, for `<AuthTimeline>`). */
export const DEV_DIST_DIR = join(PROJECT_ROOT, 'dist/mp-host-dev/mp-weixin')
