// Both libraries set up exactly as their own docs show, with nothing about login or tokens:
// the session wait, the token and the 401 replay all come from uni-mp-auth's interceptor.

import AdapterUniapp from '@alova/adapter-uniapp'
import { createAlova } from 'alova'
import Request from 'luch-request'

const API = 'http://127.0.0.1:3000'

export const luch = new Request({ baseURL: API })

export const alova = createAlova({
  baseURL: API,
  ...AdapterUniapp(),
  responded: (response) => {
    const { statusCode, data } = response as { statusCode: number; data: unknown }
    if (statusCode !== 200) throw new Error(`HTTP ${statusCode}`)
    return data
  },
})
