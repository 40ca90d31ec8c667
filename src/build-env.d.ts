/**
 * Bundlers (uni-app's Vite build included) replace `process.env.X` with literals, so the checks under
 * `process.env.NODE_ENV !== 'production'` vanish from production builds, as in Vue and Pinia.
 */
declare const process: { env: Record<string, string | undefined> }
