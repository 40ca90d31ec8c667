import type { LoginPlatform } from './types.js'

/** Where each target's credentials are set: the standalone server's variables and the plugin option. */
export interface TargetSettings {
  /** The variables of the standalone server, e.g. `WX_H5_APPID`. */
  env: { appId: string; secret?: string; privateKey?: string; publicKey?: string }
  /** What a failed login tells the user to do to get a new code. */
  retry: string
}

export const TARGET_SETTINGS: Record<LoginPlatform, TargetSettings> = {
  'mp-weixin': { env: { appId: 'WX_APPID', secret: 'WX_SECRET' }, retry: 'call wx.login again' },
  'h5-weixin': { env: { appId: 'WX_H5_APPID', secret: 'WX_H5_SECRET' }, retry: 'start the WeChat authorization again' },
  'web-weixin': { env: { appId: 'WX_WEB_APPID', secret: 'WX_WEB_SECRET' }, retry: 'scan the WeChat QR code again' },
  'app-weixin': { env: { appId: 'WX_APP_APPID', secret: 'WX_APP_SECRET' }, retry: "call uni.login({ provider: 'weixin' }) again" },
  'mp-alipay': {
    env: { appId: 'ALIPAY_APPID', privateKey: 'ALIPAY_PRIVATE_KEY', publicKey: 'ALIPAY_PUBLIC_KEY' },
    retry: 'call my.getAuthCode again',
  },
  'mp-toutiao': { env: { appId: 'DOUYIN_APPID', secret: 'DOUYIN_SECRET' }, retry: 'call tt.login again' },
  'mp-qq': { env: { appId: 'QQ_APPID', secret: 'QQ_SECRET' }, retry: 'call qq.login again' },
}

/** "WX_H5_APPID and WX_H5_SECRET (plugin option providers['h5-weixin'])", for messages that say what to set. */
export function settingNames(platform: LoginPlatform): string {
  const names = Object.values(TARGET_SETTINGS[platform].env)
  const plugin = platform === 'mp-weixin' ? "wx or providers['mp-weixin']" : `providers['${platform}']`
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)} (plugin option ${plugin})`
}
