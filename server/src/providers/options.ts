// The shapes of the `providers` option; `config/resolve-providers.ts` fills in defaults and checks them.

/** An app that authenticates with AppID + AppSecret (WeChat, Douyin, QQ). */
export interface SecretAppOptions {
  appId: string
  secret: string
}

/** An Alipay app in public-key mode (not certificate mode). */
export interface AlipayAppOptions {
  appId: string
  /** The app's RSA private key: PEM, or the bare base64 body Alipay's key tool writes (PKCS#8 or PKCS#1). */
  privateKey: string
  /** Alipay's public key (支付宝公钥) shown in the app's console, PEM or bare base64: verifies every answer. */
  alipayPublicKey: string
}

export interface TargetOptions<App> {
  /** One entry per AppID (two mini-programs of one company); a login naming no appId uses the first. */
  apps: App[]
  /** The vendor's API base (Alipay: the whole gateway URL). Defaults to the vendor's production URL; set it for a mock. */
  apiBase?: string
  /** Upper bound for one exchange call. @default 5000 (WeChat targets: wx.timeoutMs) */
  timeoutMs?: number
}

/** The plugin option `providers`: the login targets this backend exchanges codes for, keyed by uni-app's platform name. */
export interface ProvidersOptions {
  /** Merged with the `wx` option, whose AppID comes first. */
  'mp-weixin'?: TargetOptions<SecretAppOptions>
  /** Official account (服务号) for H5 pages inside WeChat, OAuth `snsapi_base`. */
  'h5-weixin'?: TargetOptions<SecretAppOptions>
  /** Open-platform website app (网站应用), QR login `snsapi_login`. */
  'web-weixin'?: TargetOptions<SecretAppOptions>
  /** Open-platform mobile app (移动应用) for the App build. */
  'app-weixin'?: TargetOptions<SecretAppOptions>
  'mp-alipay'?: TargetOptions<AlipayAppOptions>
  'mp-toutiao'?: TargetOptions<SecretAppOptions>
  'mp-qq'?: TargetOptions<SecretAppOptions>
}

export interface ResolvedTarget<App> {
  apps: App[]
  apiBase: string
  timeoutMs: number
}

/**
 * Every configured target with defaults filled in and keys checked (kept as given, so that a
 * resolved configuration resolves again to itself); an absent key is an unconfigured target.
 */
export interface ResolvedProviders {
  'mp-weixin'?: ResolvedTarget<SecretAppOptions>
  'h5-weixin'?: ResolvedTarget<SecretAppOptions>
  'web-weixin'?: ResolvedTarget<SecretAppOptions>
  'app-weixin'?: ResolvedTarget<SecretAppOptions>
  'mp-alipay'?: ResolvedTarget<AlipayAppOptions>
  'mp-toutiao'?: ResolvedTarget<SecretAppOptions>
  'mp-qq'?: ResolvedTarget<SecretAppOptions>
}
