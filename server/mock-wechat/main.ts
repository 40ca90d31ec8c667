import { buildMockWechat } from './app.js'

// Defaults match the backend's development defaults, so both start with no configuration.
const port = Number(process.env.MOCK_WECHAT_PORT ?? process.env.PORT ?? 8788)
const host = process.env.HOST ?? '127.0.0.1'

const { app } = buildMockWechat({
  appId: process.env.WX_APPID || undefined,
  secret: process.env.WX_SECRET || undefined,
  tokenTtlSeconds: process.env.MOCK_TOKEN_TTL_SECONDS ? Number(process.env.MOCK_TOKEN_TTL_SECONDS) : undefined,
  logger: process.env.MOCK_WECHAT_LOG === '1',
  corsOrigins: process.env.CORS_ORIGIN ? process.env.CORS_ORIGIN.split(',').map((o) => o.trim()) : undefined,
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0))
  })
}
const address = await app.listen({ host, port })
console.log(`mock WeChat API listening on ${address}`)
