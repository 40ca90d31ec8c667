/**
 * Child process for the crash test: writes a user through the store, prints its id, then waits to
 * be killed without any chance to close or flush. Usage: login-then-wait-child.ts <STORE_URL> <openid>
 */
import { createStore } from '../../src/store/create-store.js'
import { mpWeixin, newLogin } from './identities.js'

const [url, openid] = process.argv.slice(2)
const store = await createStore(url ?? '')
const user = await store.loginWithIdentity(mpWeixin(openid ?? 'o-crash', { sessionKey: 'session-key-before-the-crash' }), newLogin())
console.log(user.id)
setInterval(() => {}, 1000)
