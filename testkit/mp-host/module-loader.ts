import { readFileSync } from 'node:fs'
import { dirname, extname, resolve } from 'node:path'
import { runInThisContext } from 'node:vm'

/** A CommonJS loader with its own module table, so every instance sees a fresh copy of the build. */
export interface FreshLoader {
  /** Loads (once per loader) the module at an absolute path or a path relative to the build root. */
  require(path: string): unknown
  /** Absolute paths loaded so far, in load order. */
  readonly loaded: readonly string[]
}

interface CommonJsModule {
  exports: unknown
}

/**
 * Why not Node's `require`: the project's package.json says `"type": "module"`, so Node refuses to
 * `require()` the build's CommonJS `.js` files, and a shared require cache would leak module state
 * (the session engine, Pinia, uni's interceptors) from one scenario into the next.
 */
export function createFreshLoader(root: string): FreshLoader {
  const cache = new Map<string, CommonJsModule>()
  const loaded: string[] = []

  function load(file: string): unknown {
    const cached = cache.get(file)
    if (cached) return cached.exports
    const module: CommonJsModule = { exports: {} }
    cache.set(file, module)
    loaded.push(file)
    const source = readFileSync(file, 'utf8')
    const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
      filename: file,
    }) as (exports: unknown, require: (id: string) => unknown, module: CommonJsModule, filename: string, dir: string) => void
    const localRequire = (id: string) => {
      if (!id.startsWith('.') && !id.startsWith('/')) {
        throw new Error(`mp-host: ${file} requires "${id}"; a mini-program build may only require its own files`)
      }
      return load(withJs(resolve(dirname(file), id)))
    }
    wrapper.call(module.exports, module.exports, localRequire, module, file, dirname(file))
    return module.exports
  }

  return {
    require: (path) => load(withJs(resolve(root, path))),
    loaded,
  }
}

function withJs(file: string): string {
  return extname(file) === '.js' ? file : `${file}.js`
}
