export { createAuthGuard, type GuardOptions, type NavigationMethod, pagesNeedingLogin } from './navigation-guard.js'
