import { Agent, request } from 'node:http'
import type { Instance } from './cluster.js'

/** One request as the client saw it: an HTTP answer, or a failure below HTTP (connection reset…). */
export interface Outcome {
  instance: number
  method: string
  path: string
  status: number | null
  body: unknown
  /** Set when no HTTP answer came: the connection was refused or cut. */
  connectionError: string | null
}

/**
 * A round-robin load balancer in front of the instances, recording every outcome. Like a real
 * balancer after its health check, it stops sending new requests to an instance once it is dead.
 * Like a real one it forwards the client's address: every request comes from a client of its own
 * (`X-Forwarded-For`, trusted by the backends), so per-address rate limits see many users, not one.
 */
export class Balancer {
  readonly outcomes: Outcome[] = []
  private next = 0
  private clients = 0
  private readonly agents = new Map<number, Agent>()

  constructor(private readonly instances: Instance[]) {
    for (const instance of instances) this.agents.set(instance.index, new Agent({ keepAlive: true, maxSockets: 256 }))
  }

  private pick(): Instance {
    const live = this.instances.filter((instance) => instance.alive)
    if (live.length === 0) throw new Error('no live instance left')
    return live[this.next++ % live.length]!
  }

  send(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Outcome> {
    return this.sendTo(this.pick(), method, path, body, headers)
  }

  sendTo(instance: Instance, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Outcome> {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const client = ++this.clients
    const forwarded = { 'x-forwarded-for': `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}` }
    return new Promise((resolve) => {
      const record = (outcome: Omit<Outcome, 'instance' | 'method' | 'path'>) => {
        const full = { instance: instance.index, method, path, ...outcome }
        this.outcomes.push(full)
        resolve(full)
      }
      const req = request(
        `${instance.url}${path}`,
        {
          method,
          agent: this.agents.get(instance.index),
          headers: payload === undefined ? { ...forwarded, ...headers } : { 'content-type': 'application/json', ...forwarded, ...headers },
        },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (text += chunk))
          res.on('error', (error: NodeJS.ErrnoException) =>
            record({ status: null, body: null, connectionError: error.code ?? error.message }),
          )
          res.on('end', () => {
            let parsed: unknown = text
            try {
              parsed = text ? JSON.parse(text) : null
            } catch {
              // keep the raw text: a non-JSON answer is itself a finding
            }
            record({ status: res.statusCode ?? 0, body: parsed, connectionError: null })
          })
        },
      )
      req.setTimeout(30_000, () => req.destroy(new Error('client timeout')))
      req.on('error', (error: NodeJS.ErrnoException) => record({ status: null, body: null, connectionError: error.code ?? error.message }))
      req.end(payload)
    })
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy()
  }
}
