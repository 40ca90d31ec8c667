/** uni-app's build target (`mp-weixin`, `mp-alipay`, …) → the `uni.login` provider of that platform. */
const PROVIDERS: Readonly<Record<string, string>> = {
  'mp-weixin': 'weixin',
  'mp-alipay': 'alipay',
  'mp-toutiao': 'toutiao',
  'mp-qq': 'qq',
  'mp-baidu': 'baidu',
  'mp-kuaishou': 'kuaishou',
}

declare const process: { env: Record<string, string | undefined> }

/**
 * The provider for the platform this bundle was built for. uni-app's build replaces
 * `process.env.UNI_PLATFORM` with a string literal, so the choice is made at build time; at run time
 * in a mini-program there is no `process`, hence the guard.
 */
export function loginProviderForBuild(): string | undefined {
  let platform: string | undefined
  try {
    platform = process.env.UNI_PLATFORM
  } catch {
    platform = undefined
  }
  return platform ? PROVIDERS[platform] : undefined
}
