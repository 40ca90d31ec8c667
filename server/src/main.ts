#!/usr/bin/env node
import { buildApp } from './app.js'
import { ConfigError } from './base/errors.js'
import { loadConfig } from './config/environment.js'

async function main(): Promise<void> {
  const config = loadConfig()
  const app = await buildApp(config)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void app.close().then(() => process.exit(0))
    })
  }
  await app.listen({ host: config.server.host, port: config.server.port })
}

main().catch((error: unknown) => {
  // Config errors are operator mistakes: print the message alone, no stack.
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
