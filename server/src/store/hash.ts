import { createHash } from 'node:crypto'

/** Codes and refresh tokens are stored by digest only, so the store never holds a usable credential. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}
