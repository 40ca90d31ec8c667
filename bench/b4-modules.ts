/**
 * B4 per module: the bytes each src module contributes to the plugin's minified code. esbuild bundles
 * an entry importing what the app imports, with vue, pinia and @dcloudio/uni-app external and the
 * defines of a production mp-weixin build, and its metafile says how many output bytes each input
 * became. The uni build minifies differently, so the total differs a little from B4's added bytes;
 * the breakdown says where the bytes go.
 */
import { relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { ROOT } from './b4-size'

export interface ModuleBytes {
  /** Path from the repository root, e.g. `src/core/auth-engine.ts`. */
  module: string
  bytes: number
}

export interface ModuleBreakdown {
  /** What the entry imports, e.g. `createUniAuth, useAuthLifecycle from src/index.ts`. */
  imports: string[]
  /** Minified bytes of the whole output. */
  total: number
  gzip: number
  /** Largest first. */
  modules: ModuleBytes[]
}

/** `{ 'src/index.ts': ['createUniAuth'] }` → the bytes of a bundle importing exactly that. */
async function moduleBreakdown(imports: Record<string, readonly string[]>): Promise<ModuleBreakdown> {
  const lines = Object.entries(imports).map(([file, names]) => `export { ${names.join(', ')} } from './${file}'`)
  const result = await build({
    stdin: { contents: lines.join('\n'), resolveDir: ROOT, loader: 'ts', sourcefile: 'bench-entry.ts' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    minify: true,
    write: false,
    metafile: true,
    outfile: 'bench-entry.js',
    external: ['vue', 'pinia', '@dcloudio/uni-app'],
    define: { 'process.env.NODE_ENV': '"production"', 'process.env.UNI_PLATFORM': '"mp-weixin"' },
    logLevel: 'silent',
  })
  const output = Object.values(result.metafile.outputs)[0]!
  const code = result.outputFiles[0]!.contents
  const modules = Object.entries(output.inputs)
    .map(([file, { bytesInOutput }]) => ({ module: file.startsWith('src/') ? file : relative(ROOT, file) || file, bytes: bytesInOutput }))
    .filter((m) => m.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
  return {
    imports: Object.entries(imports).map(([file, names]) => `${names.join(', ')} from ${file}`),
    total: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    modules,
  }
}

/** The default install, and the same app also using the guard and phone binding. */
export async function runModuleBreakdowns(): Promise<{ default: ModuleBreakdown; guardPhone: ModuleBreakdown }> {
  const base = { 'src/index.ts': ['createUniAuth', 'useAuthLifecycle'] }
  return {
    default: await moduleBreakdown(base),
    guardPhone: await moduleBreakdown({ ...base, 'src/guard/index.ts': ['createAuthGuard'], 'src/phone/index.ts': ['bindPhone'] }),
  }
}
