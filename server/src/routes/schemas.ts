/** Opaque credential strings from clients: printable ASCII, bounded, never empty. */
const credential = { type: 'string', minLength: 1, maxLength: 512, pattern: '^[\\x21-\\x7e]+$' } as const

export const codeBodySchema = {
  type: 'object',
  required: ['code'],
  properties: { code: credential },
} as const

export const refreshBodySchema = {
  type: 'object',
  required: ['refreshToken'],
  properties: { refreshToken: credential },
} as const

export const logoutBodySchema = {
  // The body is optional: `null` covers clients that send no body at all.
  type: ['object', 'null'],
  properties: { refreshToken: credential },
} as const

export interface CodeBody {
  code: string
}

export interface RefreshBody {
  refreshToken: string
}

export interface LogoutBody {
  refreshToken?: string
}
