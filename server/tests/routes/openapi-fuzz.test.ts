/**
 * docs/openapi.json against the running server, in the spirit of Schemathesis: requests are
 * generated from each operation's own schemas (valid bodies, bodies of any JSON shape, raw text,
 * other content types, no body, several kinds of credentials) and sent through fastify's inject;
 * every answer's status must be one the operation declares, its body must match the schema
 * declared for that status, and an error's code must be one that status lists.
 */
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import ajvFormats, { type FormatsPlugin } from 'ajv-formats'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OPENAPI_PATH } from '../../scripts/openapi-document.js'
import { ERROR_STATUS } from '../../src/base/errors.js'
import { type Harness, startHarness } from '../helpers/harness.js'

interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  minLength?: number
  maxLength?: number
  pattern?: string
  format?: string
}
interface Response {
  description: string
  headers?: Record<string, unknown>
  content?: Record<string, { schema: JsonSchema }>
}
interface Operation {
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> }
  security?: Array<Record<string, unknown>>
  responses: Record<string, Response>
}

const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as { paths: Record<string, Record<string, Operation>> }
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase() as 'GET' | 'POST', operation })),
)
const RUNS_PER_OPERATION = 120

/** Values a schema accepts (the subset our schemas use). */
function valid(schema: JsonSchema): fc.Arbitrary<unknown> {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'object']
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'string':
          if (schema.format === 'binary') return fc.uint8Array({ maxLength: 64 })
          return (schema.pattern ? fc.stringMatching(new RegExp(schema.pattern)) : fc.string()).filter(
            (s) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY),
          )
        case 'integer':
          return fc.integer()
        case 'boolean':
          return fc.boolean()
        case 'null':
          return fc.constant(null)
        default: {
          const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, valid(value)]))
          const requiredKeys = (schema.required ?? []).filter((key) => key in properties)
          return fc.record(properties, { requiredKeys })
        }
      }
    }),
  )
}

interface Generated {
  payload: string | Buffer | undefined
  contentType: string | undefined
  authorization: string | undefined
}

const BOUNDARY = 'fuzzboundary'

function multipart(parts: Array<{ name: string; file: boolean; data: Uint8Array }>): Buffer {
  const chunks = parts.flatMap(({ name, file, data }) => [
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="a.png"\r\nContent-Type: image/png' : ''}\r\n\r\n`,
    ),
    Buffer.from(data),
    Buffer.from('\r\n'),
  ])
  return Buffer.concat([...chunks, Buffer.from(`--${BOUNDARY}--\r\n`)])
}

function requests(operation: Operation, credentials: fc.Arbitrary<string | undefined>): fc.Arbitrary<Generated> {
  const media = operation.requestBody?.content ?? {}
  const json = media['application/json']?.schema
  const bodies: fc.Arbitrary<Pick<Generated, 'payload' | 'contentType'>>[] = [
    // Any JSON at all, raw text under several content types, and no body.
    fc.jsonValue().map((value) => ({ payload: JSON.stringify(value), contentType: 'application/json' })),
    fc
      .tuple(
        fc.string(),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'),
      )
      .map(([payload, contentType]) => ({ payload, contentType })),
    fc.constant({ payload: undefined, contentType: undefined }),
  ]
  if (json) {
    const validBodies = valid(json).map((value) => ({ payload: JSON.stringify(value), contentType: 'application/json' }))
    bodies.push(validBodies, validBodies)
  }
  {
    // Uploads within and past the multipart limits, to every route (the others must refuse them).
    const part = fc.record({ name: fc.constantFrom('avatar', 'other', 'note'), file: fc.boolean(), data: fc.uint8Array({ maxLength: 32 }) })
    bodies.push(
      fc
        .array(part, { maxLength: 24 })
        .map((parts) => ({ payload: multipart(parts), contentType: `multipart/form-data; boundary=${BOUNDARY}` })),
    )
  }
  return fc.record({ body: fc.oneof(...bodies), authorization: credentials }).map(({ body, authorization }) => ({ ...body, authorization }))
}

describe('docs/openapi.json against the server (generated requests)', () => {
  let harness: Harness
  let credentials: fc.Arbitrary<string | undefined>
  const ajv = new Ajv({ strict: false, allErrors: true })
  // ajv-formats is CommonJS: under Node's ESM its function is the default export's `default`.
  const addFormats = (ajvFormats as unknown as { default?: FormatsPlugin }).default ?? (ajvFormats as unknown as FormatsPlugin)
  addFormats(ajv)
  const findings: string[] = []
  let cases = 0

  beforeAll(async () => {
    harness = await startHarness({ env: { WX_TIMEOUT_MS: '5000' } })
    const tokens = await Promise.all(Array.from({ length: 3 }, () => harness.login()))
    credentials = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(...tokens.map((t) => `Bearer ${t.token}`)),
      fc.string().map((s) => `Bearer ${s}`),
      fc.string(),
      fc.constant('Basic dXNlcjpwYXNz'),
    )
  })
  afterAll(() => harness?.close())

  for (const { path, method, operation } of operations) {
    it(`${method} ${path}: every answer is declared, and matches its schema`, async () => {
      await fc.assert(
        fc.asyncProperty(requests(operation, credentials), async (request) => {
          cases++
          const headers: Record<string, string> = {}
          if (request.contentType) headers['content-type'] = request.contentType
          if (request.authorization !== undefined) headers.authorization = request.authorization
          const response = await harness.inject({
            method,
            url: path,
            headers,
            ...(request.payload === undefined ? {} : { payload: request.payload }),
          })
          const declared = operation.responses[String(response.statusCode)]
          const where = `${method} ${path} → ${response.statusCode} ${response.body.slice(0, 120)}`
          if (!declared) {
            findings.push(`undeclared status: ${where}`)
            return false
          }
          const schema = declared.content?.['application/json']?.schema
          if (!schema) return response.body === ''
          const body = response.json()
          if (!ajv.validate(schema, body)) {
            findings.push(`body off schema: ${where}: ${ajv.errorsText()}`)
            return false
          }
          if (response.statusCode >= 400) {
            const { code } = body as { code: keyof typeof ERROR_STATUS & string }
            if (ERROR_STATUS[code] !== response.statusCode || !declared.description.includes(code)) {
              findings.push(`error code not listed for its status: ${where}`)
              return false
            }
          }
          if (declared.headers?.['retry-after'] && body.code === 'RATE_LIMITED') {
            return Number.isInteger(Number(response.headers['retry-after'])) && Number(response.headers['retry-after']) >= 1
          }
          return true
        }),
        { numRuns: RUNS_PER_OPERATION },
      )
    }, 60_000)
  }

  it('ran every operation with no finding', () => {
    console.log(`OpenAPI fuzz: ${cases} generated requests over ${operations.length} operations, ${findings.length} findings`)
    expect(cases).toBeGreaterThanOrEqual(operations.length * RUNS_PER_OPERATION)
    expect(findings).toEqual([])
  })
})
