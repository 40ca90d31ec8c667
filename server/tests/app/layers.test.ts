import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, posix, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * The server's folders from the bottom up (docs/ARCHITECTURE.md, "Server layers"): a module may
 * import its own folder and the folders listed before it, never one listed after it. `.` is the
 * root of src/: the plugin, the standalone app and the entry points.
 */
const LAYERS = ['base', 'providers', 'store', 'config', 'tokens', 'wechat', 'http', 'auth', 'services', 'routes', '.']
const MAX_DEPTH = 9

const SRC = join(import.meta.dirname, '../../src')

type Graph = Map<string, string[]>

/** Every module of src/ (paths relative to it, `/`-separated) with the src/ modules it imports, types included. */
function importGraph(root: string): Graph {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.split('\\').join('/'))
  const graph: Graph = new Map()
  for (const file of files) {
    const imports = ts
      .preProcessFile(readFileSync(join(root, file), 'utf8'), true, true)
      .importedFiles.map((entry) => entry.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts'))
    graph.set(file, imports)
  }
  return graph
}

/** The top folder of a module (`store` for `store/migrations/index.ts`), `.` for the root. */
function layerOf(file: string): string {
  return file.includes('/') ? (file.split('/')[0] as string) : '.'
}

interface Findings {
  cycles: string[][]
  upward: string[]
  unknownLayers: string[]
  /** A module stands one level above the highest module it imports; a module importing nothing is level 1. */
  depth: number
  deepest: string[]
}

function analyse(graph: Graph, layers: readonly string[]): Findings {
  const rank = (file: string) => layers.indexOf(layerOf(file))
  const upward: string[] = []
  const unknownLayers = [...new Set([...graph.keys()].map(layerOf).filter((layer) => !layers.includes(layer)))]
  for (const [file, imports] of graph) {
    for (const target of imports) if (rank(target) > rank(file)) upward.push(`${file} → ${target}`)
  }

  const cycles: string[][] = []
  const level = new Map<string, number>()
  const chainTo = new Map<string, string[]>()
  const onPath: string[] = []
  const visit = (file: string): number => {
    const known = level.get(file)
    if (known !== undefined) return known
    const at = onPath.indexOf(file)
    if (at >= 0) {
      cycles.push([...onPath.slice(at), file])
      return 0
    }
    onPath.push(file)
    let best = 1
    let chain = [file]
    for (const target of graph.get(file) ?? []) {
      const below = visit(target)
      if (below + 1 > best) {
        best = below + 1
        chain = [file, ...(chainTo.get(target) ?? [target])]
      }
    }
    onPath.pop()
    level.set(file, best)
    chainTo.set(file, chain)
    return best
  }
  for (const file of graph.keys()) visit(file)
  const depth = Math.max(0, ...level.values())
  const top = [...level].find(([, value]) => value === depth)?.[0]
  return { cycles, upward, unknownLayers, depth, deepest: top ? (chainTo.get(top) ?? []) : [] }
}

describe('server layers', () => {
  const findings = analyse(importGraph(SRC), LAYERS)

  it('sees the whole of src/', () => {
    const graph = importGraph(SRC)
    expect(graph.has('plugin.ts')).toBe(true)
    expect(graph.get('store/create-store.ts')).toContain('store/sql-store.ts')
    // Type-only imports count: they are what ran back up before.
    expect(graph.get('services/services.ts')).toContain('config/options.ts')
    expect(relative(SRC, dirname(join(SRC, 'base/errors.ts')))).toBe('base')
  })

  it('every folder of src/ has its place in the order', () => {
    expect(findings.unknownLayers).toEqual([])
  })

  it('no import runs back up to a folder declared above', () => {
    expect(findings.upward).toEqual([])
  })

  it('has no import cycle', () => {
    expect(findings.cycles).toEqual([])
  })

  it(`is at most ${MAX_DEPTH} levels deep`, () => {
    expect(findings.depth, findings.deepest.join(' → ')).toBeLessThanOrEqual(MAX_DEPTH)
    expect(findings.depth).toBeGreaterThan(1)
  })

  it('the checks find what they look for (a graph with every fault)', () => {
    const bad: Graph = new Map([
      ['base/a.ts', ['store/b.ts']],
      ['store/b.ts', ['base/a.ts']],
      ['extra/c.ts', []],
      ['d.ts', ['store/b.ts']],
    ])
    const result = analyse(bad, ['base', 'store', '.'])
    expect(result.upward).toEqual(['base/a.ts → store/b.ts'])
    expect(result.cycles).toEqual([['base/a.ts', 'store/b.ts', 'base/a.ts']])
    expect(result.unknownLayers).toEqual(['extra'])
    const chain = new Map(Array.from({ length: 12 }, (_, index) => [`m${index}.ts`, index === 0 ? [] : [`m${index - 1}.ts`]]))
    expect(analyse(chain, ['.']).depth).toBe(12)
  })
})
