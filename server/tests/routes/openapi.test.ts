import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildOpenApiDocument, OPENAPI_PATH } from '../../scripts/openapi-document.js'

interface Operation {
  summary?: string
  security?: unknown[]
  responses: Record<string, unknown>
}

describe('docs/openapi.json', () => {
  it('is what the route schemas describe now (after changing a route: npm run openapi -w server)', async () => {
    const committed = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'))
    expect(await buildOpenApiDocument(), 'docs/openapi.json is stale: run `npm run openapi -w server`').toEqual(committed)
  })

  it('documents each operation with a summary, a success answer and, where a token is needed, bearer auth', () => {
    const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as { openapi: string; paths: Record<string, Record<string, Operation>> }
    expect(document.openapi).toBe('3.1.0')
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, ...operation })),
    )
    expect(operations.map((o) => o.name).sort()).toEqual(
      [
        'DELETE /auth/identities/{provider}/{appId}',
        'GET /healthz',
        'GET /me',
        'GET /me/identities',
        'GET /readyz',
        'POST /auth/link',
        'POST /auth/login',
        'POST /auth/logout',
        'POST /auth/logout-all',
        'POST /auth/phone',
        'POST /auth/refresh',
        'POST /me/avatar',
      ].sort(),
    )
    for (const operation of operations) {
      expect(operation.summary, operation.name).toEqual(expect.any(String))
      expect(
        Object.keys(operation.responses).some((status) => status === '200' || status === '204'),
        operation.name,
      ).toBe(true)
    }
    const secured = operations.filter((o) => JSON.stringify(o.security ?? []).includes('bearerAuth')).map((o) => o.name)
    expect(secured.sort()).toEqual([
      'DELETE /auth/identities/{provider}/{appId}',
      'GET /me',
      'GET /me/identities',
      'POST /auth/link',
      'POST /auth/logout',
      'POST /auth/logout-all',
      'POST /auth/phone',
      'POST /me/avatar',
    ])
  })
})
