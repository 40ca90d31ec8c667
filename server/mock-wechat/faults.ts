export const MOCK_ENDPOINTS = [
  'jscode2session',
  'token',
  'stable_token',
  'getuserphonenumber',
  'oauth2_access_token',
  'alipay_gateway',
  'douyin_jscode2session',
  'qq_jscode2session',
] as const
export type MockEndpoint = (typeof MOCK_ENDPOINTS)[number]

/** One misbehaviour, applied to the next `count` calls of `endpoint` (or of any endpoint). */
export interface Fault {
  /** Omit for "any endpoint". */
  endpoint?: MockEndpoint
  /** Answer HTTP 200 with this vendor error: WeChat `{ errcode, errmsg }`, Douyin `{ err_no, err_tips }`. */
  errcode?: number
  /** Alipay only: answer a signed `error_response` with this `sub_code` (e.g. `isv.code-invalid`). */
  subCode?: string
  /** Alipay only: answer normally, but sign the answer with a key that is not the mock's. */
  badSignature?: boolean
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
