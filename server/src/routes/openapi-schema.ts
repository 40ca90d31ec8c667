import type { FastifySchema } from 'fastify'

/** The OpenAPI fields @fastify/swagger reads from a route schema (it is only a dev dependency). */
export interface OpenApiFields {
  tags?: readonly string[]
  summary?: string
  description?: string
  security?: ReadonlyArray<Record<string, readonly string[]>>
  consumes?: readonly string[]
}

/** A route schema with its OpenAPI documentation; the generated docs/openapi.json is built from these. */
export function routeSchema(schema: FastifySchema & OpenApiFields): FastifySchema {
  return schema
}
