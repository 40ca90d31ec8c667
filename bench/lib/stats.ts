/** Small statistics helpers: every figure the bench reports is a median over interleaved rounds. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** a / b, or NaN when either side is missing. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN
}

/**
 * Runs every contender once per round, in an order rotated each round so no contender always runs
 * first (warm caches, GC debt and CPU frequency then spread evenly over all of them).
 */
export async function interleave<K extends string, R>(
  contenders: readonly K[],
  rounds: number,
  run: (contender: K, round: number) => Promise<R>,
): Promise<Record<K, R[]>> {
  const results = Object.fromEntries(contenders.map((c) => [c, [] as R[]])) as Record<K, R[]>
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(i + round) % contenders.length]!
      results[contender].push(await run(contender, round))
    }
  }
  return results
}

/** Lets pending timers and I/O callbacks of the previous trial drain before the next one starts. */
export function settle(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
