import { onHide, onLaunch, onShow } from '@dcloudio/uni-app'
import { authContext } from './auth-context.js'

/**
 * Call once in App.vue's `<script setup>`: starts the session in `onLaunch`, so the first page
 * finds it ready (or on its way), and lets a long stay in the background trigger a new
 * `checkSession`. A failed start-up login lands in the store's `error` and is retried by the next
 * request; it is never thrown into the app.
 */
export function useAuthLifecycle(): void {
  const { engine } = authContext()
  onLaunch(() => {
    engine.ensureSession().catch(() => {})
  })
  onShow(() => engine.markForeground())
  onHide(() => engine.markBackground())
}
