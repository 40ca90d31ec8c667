import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { createStore } from '../../src/store/create-store.js'
import { sqliteFileUrl } from '../helpers/stores.js'
import { mpWeixin } from '../helpers/identities.js'

const CHILD = fileURLToPath(new URL('../helpers/login-then-wait-child.ts', import.meta.url))

it('SQLite keeps a committed user when its process is SIGKILLed right after', async () => {
  const url = sqliteFileUrl(randomUUID())
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, 'o-crash'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const userId = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)))
    createInterface({ input: child.stdout! }).once('line', resolve)
  })
  child.removeAllListeners('exit')
  const killed = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await killed

  const store = await createStore(url)
  try {
    expect(await store.getUserById(userId)).toMatchObject({ id: userId })
    expect(await store.listIdentities(userId)).toMatchObject([{ subject: 'o-crash' }])
    expect(await store.getSessionKey(mpWeixin('o-crash'))).toBe('session-key-before-the-crash')
  } finally {
    await store.close()
  }
}, 30_000)
