/**
 * What the default login exchange tells the backend about a code besides the code itself: the build
 * target it comes from and, where the backend has several, the AppID. Names follow the reference
 * backend's login contract (see "Platforms" in docs/ARCHITECTURE.md).
 */
export type LoginPlatformName = 'mp-weixin' | 'h5-weixin' | 'web-weixin' | 'app-weixin' | 'mp-alipay' | 'mp-toutiao'

/** The `target` option, and what a code source such as `uni-mp-auth/h5`'s WeChat OAuth declares. */
export interface LoginTarget {
  /** `(string & {})`: a backend of your own may know more targets (`mp-qq`, …). */
  platform?: LoginPlatformName | (string & {})
  appId?: string
}

/** A `getCode` that also says which target its codes belong to (a WeChat OAuth code is `h5-weixin`). */
export interface CodeSource {
  (): Promise<string>
  readonly target?: LoginTarget
}

/**
 * uni-app's build target, written into the bundle as a literal (`process.env.UNI_PLATFORM`:
 * `mp-weixin`, `mp-alipay`, `h5`, `app` …). Outside a uni build (tests, other bundlers in a browser)
 * `process` may not exist at all, hence the guard.
 */
export function buildTarget(): string | undefined {
  try {
    return process.env.UNI_PLATFORM
  } catch {
    return undefined
  }
}

/**
 * The login platform a bare `uni.login` code of this build belongs to: the mini-programs by their
 * own name, the App by WeChat's open-platform login. H5 has no `uni.login`: its code source names it.
 */
export function buildLoginPlatform(target = buildTarget()): string | undefined {
  return target?.startsWith('mp-') ? target : target?.startsWith('app') ? 'app-weixin' : undefined
}

/** The fields sent with every code: the option wins over the code source, which wins over the build. */
export function loginFields(target: LoginTarget | undefined, getCode: CodeSource | undefined): Record<string, string> {
  const platform = target?.platform ?? getCode?.target?.platform ?? buildLoginPlatform()
  const appId = target?.appId ?? getCode?.target?.appId
  const fields: Record<string, string> = {}
  if (platform) fields.platform = platform
  if (appId) fields.appId = appId
  return fields
}
