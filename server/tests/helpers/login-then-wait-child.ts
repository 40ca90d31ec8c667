/**
 * Child process for the crash test: writes a user through the store, prints its id, then waits to
 * be killed without any chance to close or flush. Usage: login-then-wait-child.ts <STORE_URL> <openid>
 */
import { createStore } from '../../src/store/create-store.js'

const [url, openid] = process.argv.slice(2)
const store = await createStore(url ?? '')
const user = await store.upsertUser({ openid: openid ?? 'o-crash' })
await store.saveSessionKey(user.openid, 'session-key-before-the-crash')
console.log(user.id)
setInterval(() => {}, 1000)
