import { describe, expect, it } from 'vitest'
import { KeyedSemaphore } from '../../src/auth/keyed-semaphore.js'
import { SemaphoreTimeoutError } from '../../src/base/errors.js'

describe('KeyedSemaphore', () => {
  it('lets `permits` holders in per key, then hands permits on in arrival order', async () => {
    const semaphore = new KeyedSemaphore(2)
    const first = await semaphore.acquire('a', 1000)
    await semaphore.acquire('a', 1000)
    await semaphore.acquire('b', 1000) // another key is not affected
    const order: number[] = []
    const waiting = [3, 4].map((n) => semaphore.acquire('a', 1000).then((release) => (order.push(n), release)))
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(order).toEqual([])
    first()
    first() // releasing twice frees one permit only
    const third = await waiting[0]!
    expect(order).toEqual([3])
    third()
    await waiting[1]
    expect(order).toEqual([3, 4])
  })

  it('gives up after waitMs and forgets idle keys', async () => {
    const semaphore = new KeyedSemaphore(1)
    const release = await semaphore.acquire('k', 1000)
    await expect(semaphore.acquire('k', 20)).rejects.toBeInstanceOf(SemaphoreTimeoutError)
    release()
    expect(semaphore.size).toBe(0)
    const again = await semaphore.acquire('k', 20)
    again()
    expect(semaphore.size).toBe(0)
  })
})
