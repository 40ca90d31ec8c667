export interface FileScore {
  score: number
  mutants: number
  killed: number
  timeout: number
  survived: number
  noCoverage: number
  sha256?: string
}

export interface MutationScore extends FileScore {
  threshold: number
  lastRun: { kind: 'full' | 'incremental'; minutes: number } | null
  /** `file:line:column Mutator` of every surviving mutant. */
  survivors: string[]
  files: Record<string, FileScore>
}

/** The lines around the score in the READMEs and bench/results/latest.md. */
export const START: string
export const END: string
export function readScore(): MutationScore | null
export function benchSection(score: MutationScore): string[]
