/**
 * B4 per build target: `node --import tsx bench/b4-targets.ts [target…]` builds the minimal app
 * without the plugin (base-pinia) and with it (ours) for each uni-app target and prints the bytes
 * the plugin adds there. Each target pays only for its own platform code: mp-weixin must not grow
 * when another target's support is added.
 */
import { type BuildTarget, buildApp, measure, type SizeVariant } from './b4-size'

/** `app` is left out: its build needs @dcloudio/uni-app-plus, which this project does not install. */
const ALL: readonly BuildTarget[] = ['mp-weixin', 'mp-alipay', 'mp-toutiao', 'h5']
const VARIANTS: readonly SizeVariant[] = ['base-pinia', 'ours']

export interface TargetSize {
  target: BuildTarget | 'h5 + uni-mp-auth/h5'
  /** Whole build, raw bytes: without the plugin, with it, and the difference. */
  base: number
  ours: number
  added: number
  addedGzip: number
}

export function measureTargets(targets: readonly BuildTarget[] = ALL, log: (row: TargetSize) => void = () => {}): TargetSize[] {
  return targets.flatMap((target) => {
    const [base, ours] = VARIANTS.map((variant) => {
      buildApp(variant, target)
      return measure(variant, target)
    }) as [ReturnType<typeof measure>, ReturnType<typeof measure>]
    const row: TargetSize = { target, base: base.raw, ours: ours.raw, added: ours.raw - base.raw, addedGzip: ours.gzip - base.gzip }
    log(row)
    if (target !== 'h5') return [row]
    // On H5 inside WeChat the app also imports the OAuth code source.
    buildApp('ours-h5-oauth', target)
    const oauth = measure('ours-h5-oauth', target)
    const h5Row: TargetSize = {
      target: 'h5 + uni-mp-auth/h5',
      base: base.raw,
      ours: oauth.raw,
      added: oauth.raw - base.raw,
      addedGzip: oauth.gzip - base.gzip,
    }
    log(h5Row)
    return [row, h5Row]
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const asked = process.argv.slice(2) as BuildTarget[]
  console.log('| target | without the plugin | with it | added (raw) | added (gzip) |\n| --- | --: | --: | --: | --: |')
  measureTargets(asked.length ? asked : ALL, (r) => console.log(`| ${r.target} | ${r.base} | ${r.ours} | ${r.added} | ${r.addedGzip} |`))
}
