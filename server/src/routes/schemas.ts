import { type IdentityProviderName, LOGIN_PLATFORMS, type LoginPlatform } from '../providers/types.js'

/** Opaque credential strings from clients: printable ASCII, bounded, never empty. */
const credential = { type: 'string', minLength: 1, maxLength: 512, pattern: '^[\\x21-\\x7e]+$' } as const

export const loginBodySchema = {
  type: 'object',
  required: ['code'],
  properties: {
    code: {
      ...credential,
      description: 'The one-time login code of the build target: wx.login, the WeChat OAuth redirect, my.getAuthCode, tt.login …',
    },
    platform: {
      type: 'string',
      enum: [...LOGIN_PLATFORMS],
      default: 'mp-weixin',
      description: 'The build target the code comes from (uni-app platform name); clients of 0.2 send none',
    },
    appId: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '^[\\x21-\\x7e]+$',
      description: "Which of the target's configured AppIDs issued the code; the first configured one when absent",
    },
  },
} as const

export interface LoginBody {
  code: string
  platform?: LoginPlatform
  appId?: string
}

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

export interface PhoneBody {
  code: string
  appId?: string
}

export interface RefreshBody {
  refreshToken: string
}

export interface LogoutBody {
  refreshToken?: string
}

const publicUserSchema = {
  type: 'object',
  required: ['id', 'phoneBound', 'phoneMasked', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    phoneBound: { type: 'boolean' },
    phoneMasked: { type: ['string', 'null'], description: 'e.g. `138****8000`; null until a phone number is bound' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const

export const sessionSchema = {
  description: 'A new token pair',
  type: 'object',
  required: ['token', 'expiresIn', 'refreshToken', 'refreshExpiresIn', 'user'],
  additionalProperties: false,
  properties: {
    token: { type: 'string', description: 'JWT (HS256) for `Authorization: Bearer …`' },
    expiresIn: { type: 'integer', description: 'Seconds until `token` expires' },
    refreshToken: { type: 'string', description: 'Opaque and single-use: exchange it at POST /auth/refresh' },
    refreshExpiresIn: { type: 'integer', description: 'Seconds until `refreshToken` expires' },
    user: publicUserSchema,
  },
} as const

export const userBodySchema = {
  description: 'The current user',
  type: 'object',
  required: ['user'],
  additionalProperties: false,
  properties: { user: publicUserSchema },
} as const

export const noContent = { description: 'Done', type: 'null' } as const

const errorBodySchema = {
  type: 'object',
  required: ['code', 'message'],
  additionalProperties: false,
  properties: {
    code: {
      type: 'string',
      pattern: '^[A-Z][A-Z_]*$',
      description: 'Stable error code, listed in the response description; clients branch on it',
    },
    message: { type: 'string', description: 'Human-readable; may change' },
  },
} as const

const retryAfterHeader = {
  'retry-after': { type: 'integer', minimum: 1, description: 'Seconds to wait before trying again' },
} as const

/** Error answers of a route, e.g. `errors({ 401: 'AUTH_TOKEN_MISSING, …' })`. */
export function errors(descriptions: Record<number, string>) {
  return Object.fromEntries(
    Object.entries(descriptions).map(([status, description]) => [
      status,
      { ...errorBodySchema, description, ...(status === '429' ? { headers: retryAfterHeader } : {}) },
    ]),
  )
}

/** Answers every route can give: bad input and server faults. */
export const commonErrors = {
  400: 'BAD_REQUEST: malformed JSON, missing or wrongly typed field',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  500: 'INTERNAL',
  503: 'STORE_UNAVAILABLE: the database (or Redis) cannot be reached right now; retry',
} as const

export const bearerSecurity = [{ bearerAuth: [] }]

const appIdSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' } as const

export const phoneBodySchema = {
  type: 'object',
  required: ['code'],
  properties: {
    code: { ...credential, description: 'The one-time code of the getPhoneNumber button' },
    appId: {
      ...appIdSchema,
      description:
        'The WeChat mini-program the code comes from; needed only when the account has identities in several configured mini-programs',
    },
  },
} as const

export const linkBodySchema = {
  type: 'object',
  required: ['code', 'platform'],
  properties: {
    code: { ...credential, description: 'A one-time login code of the target to link (e.g. from wx.login)' },
    platform: { type: 'string', enum: [...LOGIN_PLATFORMS], description: 'The build target the code comes from' },
    appId: { ...appIdSchema, description: 'The AppID the code belongs to, when several are configured for the target' },
  },
} as const

export interface LinkBody {
  code: string
  platform: LoginPlatform
  appId?: string
}

export const identityParamsSchema = {
  type: 'object',
  required: ['provider', 'appId'],
  properties: {
    provider: { type: 'string', enum: ['weixin', 'alipay', 'toutiao', 'qq'] },
    appId: appIdSchema,
  },
} as const

export interface IdentityParams {
  provider: IdentityProviderName
  appId: string
}

const publicIdentitySchema = {
  type: 'object',
  required: ['provider', 'platform', 'appId', 'createdAt'],
  additionalProperties: false,
  properties: {
    provider: { type: 'string', description: '`weixin`, `alipay` or `toutiao`' },
    platform: { type: 'string', description: 'The build target it first logged in or was linked from' },
    appId: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const

export const identitiesBodySchema = {
  description: "The user's identities, oldest first",
  type: 'object',
  required: ['identities'],
  additionalProperties: false,
  properties: { identities: { type: 'array', items: publicIdentitySchema } },
} as const
