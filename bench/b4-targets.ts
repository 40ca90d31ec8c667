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
  target: BuildTarget
  /** Whole build, raw bytes: without the plugin, with it, and the difference. */
  base: number
  ours: number
  added: number
  addedGzip: number
}

export function measureTargets(targets: readonly BuildTarget[] = ALL, log: (row: TargetSize) => void = () => {}): TargetSize[] {
  return targets.map((target) => {
    const [base, ours] = VARIANTS.map((variant) => {
      buildApp(variant, target)
      return measure(variant, target)
    }) as [ReturnType<typeof measure>, ReturnType<typeof measure>]
    const row = { target, base: base.raw, ours: ours.raw, added: ours.raw - base.raw, addedGzip: ours.gzip - base.gzip }
    log(row)
    return row
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const asked = process.argv.slice(2) as BuildTarget[]
  console.log('| target | without the plugin | with it | added (raw) | added (gzip) |\n| --- | --: | --: | --: | --: |')
  measureTargets(asked.length ? asked : ALL, (r) => console.log(`| ${r.target} | ${r.base} | ${r.ours} | ${r.added} | ${r.addedGzip} |`))
}
