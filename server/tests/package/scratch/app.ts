// A team's own fastify service using the packed @uni-mp-auth/server: its configuration, its store,
// its routes guarded by app.requireUser. Started by package.test.ts with the mock WeChat's URL.
import { type AuthStore, isHttpAuthError, uniMpAuth } from '@uni-mp-auth/server'
import Fastify from 'fastify'
import { memoryStore } from './memory-store.js'

const [apiBase = '', appId = '', secret = '', jwtSecret = ''] = process.argv.slice(2)
const store: AuthStore = memoryStore()

const app = Fastify()
await app.register(uniMpAuth, { prefix: '/api', wx: { appId, secret, apiBase }, jwt: { secret: jwtSecret }, store })

app.get('/orders', { onRequest: app.requireUser }, async (request) => {
  // requireUser has set request.auth; the store behind the plugin is the team's own.
  const user = request.auth ? await app.uniMpAuth.store.getUserById(request.auth.userId) : null
  return { owner: user?.id ?? null }
})
app.setErrorHandler((error, _request, reply) => {
  if (isHttpAuthError(error)) return reply.status(error.statusCode).send({ team: true, code: error.code })
  return reply.status(500).send({ team: true })
})

const url = await app.listen({ host: '127.0.0.1', port: 0 })
console.log(JSON.stringify({ url }))
