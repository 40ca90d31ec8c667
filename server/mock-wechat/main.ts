#!/usr/bin/env node
import { createPublicKey } from 'node:crypto'
import { buildMockWechat } from './app.js'
import type { MockApp } from './context.js'

// Defaults match the backend's development defaults, so both start with no configuration; the
// other targets read the backend's own variables, so one environment configures both sides.
// Not PORT: with one environment for both sides, the backend's PORT would put the mock on the backend's port.
const port = Number(process.env.MOCK_WECHAT_PORT ?? 8788)
const host = process.env.HOST ?? '127.0.0.1'
const env = process.env

function appsFrom(idNames: string[], secretNames: string[]): MockApp[] {
  return idNames.flatMap((idName, index) => {
    const ids = env[idName]?.split(',') ?? []
    const secrets = env[secretNames[index] ?? '']?.split(',') ?? []
    return ids.map((appId, at) => ({ appId: appId.trim(), secret: (secrets[at] ?? '').trim() })).filter((app) => app.appId)
  })
}

// WX_APPID=a,b: the first is the mock's main app, the others more mini-programs.
const [miniProgram, ...moreMiniPrograms] = appsFrom(['WX_APPID'], ['WX_SECRET'])
const wechatApps = [
  ...moreMiniPrograms,
  ...appsFrom(['WX_H5_APPID', 'WX_WEB_APPID', 'WX_APP_APPID'], ['WX_H5_SECRET', 'WX_WEB_SECRET', 'WX_APP_SECRET']),
]
const douyinApps = appsFrom(['DOUYIN_APPID'], ['DOUYIN_SECRET'])
const qqApps = appsFrom(['QQ_APPID'], ['QQ_SECRET'])
// With the backend's ALIPAY_PRIVATE_KEY the mock knows the app's public key; without, it makes a dev app (GET /__alipay/keys).
const alipayKey = env.ALIPAY_PRIVATE_KEY?.replace(/\\n/g, '\n')
const alipayApps =
  env.ALIPAY_APPID && alipayKey
    ? [{ appId: env.ALIPAY_APPID, appPublicKey: createPublicKey(alipayKey).export({ type: 'spki', format: 'pem' }).toString() }]
    : undefined

const { app } = buildMockWechat({
  appId: miniProgram?.appId,
  secret: miniProgram?.secret,
  tokenTtlSeconds: env.MOCK_TOKEN_TTL_SECONDS ? Number(env.MOCK_TOKEN_TTL_SECONDS) : undefined,
  logger: env.MOCK_WECHAT_LOG === '1',
  corsOrigins: env.CORS_ORIGIN ? env.CORS_ORIGIN.split(',').map((o) => o.trim()) : undefined,
  wechatApps,
  ...(douyinApps.length > 0 ? { douyinApps } : {}),
  ...(qqApps.length > 0 ? { qqApps } : {}),
  alipayApps,
  sharedUnionid: env.MOCK_SHARED_UNIONID === '1',
  oauthDefaultUser: env.MOCK_OAUTH_USER || undefined,
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0))
  })
}
const address = await app.listen({ host, port })
console.log(`mock WeChat / Alipay / Douyin / QQ APIs listening on ${address}`)
// Shipped in the package as the `uni-mp-auth-mock` bin, so say plainly what it is.
console.error('Development only: this mock accepts invented login codes; never point a production backend at it.')
