import { readFileSync } from 'node:fs'
import swagger from '@fastify/swagger'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config/environment.js'

/** Where the generated contract is committed (repository root, next to the READMEs that link it). */
export const OPENAPI_PATH = new URL('../../docs/openapi.json', import.meta.url)

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

interface Operation {
  requestBody?: { required: boolean; content: Record<string, { schema: { type?: unknown } }> }
}

/**
 * @fastify/swagger marks every request body required. A route whose body schema admits `null`
 * (logout) accepts no body at all: in OpenAPI that is an optional body, whose schema is the object.
 */
function markOptionalBodies(document: { paths: Record<string, Record<string, Operation>> }): void {
  for (const operation of Object.values(document.paths).flatMap((methods) => Object.values(methods))) {
    const body = operation.requestBody
    if (!body) continue
    for (const media of Object.values(body.content)) {
      const { type } = media.schema
      if (!Array.isArray(type) || !type.includes('null')) continue
      body.required = false
      const rest = type.filter((t) => t !== 'null')
      media.schema.type = rest.length === 1 ? rest[0] : rest
    }
  }
}

/**
 * The HTTP contract as OpenAPI 3.1, generated from the route schemas of the standalone server with
 * its default configuration (the numbers in descriptions are the defaults).
 */
export async function buildOpenApiDocument(): Promise<unknown> {
  // A fixed environment, not process.env: the document must not depend on who generates it.
  const config = loadConfig({ STORE_URL: 'sqlite::memory:' })
  const app = await buildApp(config, {
    logger: false,
    configure: async (instance) => {
      await instance.register(swagger, {
        openapi: {
          openapi: '3.1.0',
          info: {
            title: 'uni-mp-auth backend',
            version,
            description:
              'WeChat mini-program login: exchange a wx.login code for a short-lived JWT and a rotating refresh token. ' +
              'Every error is `{ code, message }` with a stable `code`. Generated from the route schemas of @uni-mp-auth/server.',
          },
          tags: [
            { name: 'auth', description: 'Login, refresh, logout' },
            { name: 'user', description: 'The authenticated user' },
            { name: 'health', description: 'Probes of the standalone server' },
          ],
          components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
        },
      })
    },
  })
  try {
    await app.ready()
    const document = app.swagger() as unknown as Parameters<typeof markOptionalBodies>[0]
    markOptionalBodies(document)
    return document
  } finally {
    await app.close()
  }
}
