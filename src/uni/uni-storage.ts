import type { StorageLike } from '../core/types'
import type { UniLike } from './uni-like'

/** uni's synchronous storage as the engine's `StorageLike`; non-string values count as absent. */
export function createUniStorage(uniApi: UniLike): StorageLike {
  return {
    getItem(key) {
      const value = uniApi.getStorageSync(key)
      return typeof value === 'string' && value !== '' ? value : null
    },
    setItem: (key, value) => uniApi.setStorageSync(key, value),
    removeItem: (key) => uniApi.removeStorageSync(key),
  }
}
