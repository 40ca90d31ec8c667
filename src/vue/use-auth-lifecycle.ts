import { onHide, onLaunch, onShow } from '@dcloudio/uni-app'
import { resolveContext } from './use-auth'

export interface UseAuthLifecycleOptions {
  /** Run `ensureSession()` in `onLaunch`, so the first page finds the session ready. @default true */
  ensureOnLaunch?: boolean
}

/**
 * Call once in App.vue's `<script setup>`: the start-up session check on launch, and a renewed
 * `checkSession` after a long stay in the background. A failed start-up login is kept in the
 * store's `error` (and retried by the next request), never thrown into the app.
 */
export function useAuthLifecycle({ ensureOnLaunch = true }: UseAuthLifecycleOptions = {}): void {
  const { session } = resolveContext()
  const { engine } = session
  onLaunch((launch?: { path?: string; query?: Record<string, string> }) => {
    if (ensureOnLaunch) engine.ensureSession().catch(() => {})
    // The first page is opened by the platform, not by a navigation API the guard intercepts.
    if (session.guard && launch?.path) session.guard.checkLaunch(launch.path, launch.query)
  })
  onShow(() => engine.markForeground())
  onHide(() => engine.markBackground())
}
