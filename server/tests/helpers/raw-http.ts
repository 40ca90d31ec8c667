import { connect } from 'node:net'

export interface RawExchange {
  /** Everything the server sent before it closed the connection. */
  received: string
}

export interface RawOptions {
  /** Sent once connected. */
  head?: string
  /** Then sent every `dribbleEveryMs`, forever, as a slow client would. */
  dribble?: string
  dribbleEveryMs?: number
  /** Fail when the server has not closed the connection by then; generous, this is no timing test. */
  closedWithinMs?: number
}

/** Talks HTTP over a bare TCP socket and resolves once the server closes the connection. */
export function rawExchange(port: number, options: RawOptions): Promise<RawExchange> {
  const { head = '', dribble, dribbleEveryMs = 100, closedWithinMs = 10_000 } = options
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let received = ''
    let timer: NodeJS.Timeout | undefined
    const giveUp = setTimeout(() => {
      clearInterval(timer)
      socket.destroy()
      reject(new Error(`the server did not close the connection within ${closedWithinMs} ms; received: ${received}`))
    }, closedWithinMs)
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      received += chunk
    })
    // A reset after the answer is still a close; the answer is what matters.
    socket.on('error', () => {})
    socket.once('close', () => {
      clearInterval(timer)
      clearTimeout(giveUp)
      resolve({ received })
    })
    socket.once('connect', () => {
      if (head) socket.write(head)
      if (dribble !== undefined) {
        timer = setInterval(() => {
          if (!socket.destroyed) socket.write(dribble)
        }, dribbleEveryMs)
      }
    })
  })
}

/** Status code and JSON body of a raw HTTP/1.1 answer. */
export function parseAnswer(raw: string): { status: number; headers: string; body: unknown } {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, split)
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1])
  const text = raw.slice(split + 4)
  return { status, headers: head.toLowerCase(), body: text ? JSON.parse(text) : undefined }
}
