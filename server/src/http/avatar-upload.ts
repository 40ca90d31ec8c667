import type { Readable } from 'node:stream'
import type { FastifyRequest } from 'fastify'
import { HttpAuthError, isHttpAuthError } from '../base/errors.js'

/** Counts a file part's bytes as they stream by; fails with 413 the moment busboy's fileSize limit is hit. */
function countFileBytes(file: Readable): Promise<number> {
  return new Promise((resolve, reject) => {
    let size = 0
    file.on('data', (chunk: Buffer) => {
      size += chunk.length
    })
    // Without this, busboy would skip the rest of the file and only end it once all of it arrived.
    file.once('limit', () => reject(new HttpAuthError('PAYLOAD_TOO_LARGE', 'The avatar file is too large')))
    file.once('end', () => resolve(size))
    file.once('error', reject)
  })
}

/**
 * Streams a `multipart/form-data` upload (parsed by @fastify/multipart within its limits) and
 * returns the size of the file field `avatar`. Other files are discarded; malformed bodies are a
 * 400, bodies of another type a 415.
 */
export async function countAvatarBytes(request: FastifyRequest): Promise<number> {
  if (!request.isMultipart()) throw new HttpAuthError('UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data with an `avatar` file')
  let bytes: number | undefined
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue
      if (part.fieldname === 'avatar' && bytes === undefined) bytes = await countFileBytes(part.file)
      else part.file.resume()
    }
  } catch (error) {
    // @fastify/multipart's own limit errors carry a status (413); busboy's parse errors do not.
    if (isHttpAuthError(error) || (error instanceof Error && 'statusCode' in error)) throw error
    throw new HttpAuthError('BAD_REQUEST', 'Malformed multipart/form-data body', { cause: error })
  }
  if (bytes === undefined) throw new HttpAuthError('BAD_REQUEST', 'multipart field `avatar` missing')
  return bytes
}
