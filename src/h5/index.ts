export { type BrowserLike, type WechatOAuth, type WechatOAuthOptions, wechatOAuth } from './wechat-oauth.js'
