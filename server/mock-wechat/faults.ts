export const MOCK_ENDPOINTS = ['jscode2session', 'token', 'stable_token', 'getuserphonenumber'] as const
export type MockEndpoint = (typeof MOCK_ENDPOINTS)[number]

/** One misbehaviour, applied to the next `count` calls of `endpoint` (or of any endpoint). */
export interface Fault {
  /** Omit for "any WeChat endpoint". */
  endpoint?: MockEndpoint
  /** Answer HTTP 200 `{ errcode, errmsg }`, the way WeChat reports business errors. */
  errcode?: number
  /** Answer with this HTTP status (e.g. 500) and a non-WeChat body. */
  status?: number
  /** Never answer (until the client gives up or the mock closes). */
  hang?: boolean
  /** Delay before answering (combined with the above, or alone). */
  latencyMs?: number
  /** @default 1 */
  count?: number
}

interface ArmedFault extends Fault {
  remaining: number
}

/** Faults armed through POST /__faults, consumed call by call in arming order. */
export class FaultQueue {
  private faults: ArmedFault[] = []

  arm(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.count ?? 1 })
  }

  clear(): void {
    this.faults = []
  }

  /** The fault that applies to this call, if any; using it counts down its remaining calls. */
  take(endpoint: MockEndpoint): Fault | undefined {
    const index = this.faults.findIndex((f) => f.endpoint === undefined || f.endpoint === endpoint)
    const fault = this.faults[index]
    if (!fault) return undefined
    fault.remaining -= 1
    if (fault.remaining <= 0) this.faults.splice(index, 1)
    return fault
  }
}
