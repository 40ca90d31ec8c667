import type { IncomingMessage } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'

const draining = new WeakMap<IncomingMessage, Promise<boolean>>()

/** Reads and discards the rest of the body; resolves `true` once it ended within `limitBytes`. */
function discardRest(raw: IncomingMessage, limitBytes: number): Promise<boolean> {
  return new Promise((resolve) => {
    let discarded = 0
    const finish = (ended: boolean) => {
      raw.off('data', onData)
      raw.off('end', onEnd)
      raw.off('close', onClose)
      raw.off('error', onClose)
      resolve(ended)
    }
    const onData = (chunk: Buffer) => {
      discarded += chunk.length
      if (discarded > limitBytes) finish(false)
    }
    const onEnd = () => finish(true)
    const onClose = () => finish(raw.readableEnded)
    raw.on('data', onData)
    raw.once('end', onEnd)
    raw.once('close', onClose)
    raw.once('error', onClose)
    raw.resume()
  })
}

/**
 * An `onSend` hook for answers given before the request body was read (413, 401 on an upload,
 * 429…). Answering and closing while the client is still sending makes most clients report a
 * reset connection instead of the answer, so up to `limitBytes` of the rest is read and thrown
 * away first. A longer body is not worth reading: the answer then closes the connection.
 */
export function drainUnreadBody(limitBytes: number) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const raw = request.raw
    if (raw.complete || raw.readableEnded || raw.destroyed) return payload
    const declared = Number(raw.headers['content-length'])
    let drained = draining.get(raw)
    if (!drained) {
      drained = declared > limitBytes ? Promise.resolve(false) : discardRest(raw, limitBytes)
      draining.set(raw, drained)
    }
    if (!(await drained)) void reply.header('connection', 'close')
    return payload
  }
}
