/**
 * What the default login exchange tells the backend about a code besides the code itself: the build
 * target it comes from and, where the backend has several, the AppID. Names follow the reference
 * backend's login contract (see "Build targets on the client" in docs/ARCHITECTURE.md).
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
 * The login platform of a bare `uni.login` code of this build: a mini-program's by its name, the
 * App's (uni's CLI turns `app-plus` into `app`) by WeChat's open platform; none on H5, whose code
 * source names it. uni's build writes `process.env.UNI_PLATFORM` in as a literal; outside a uni build
 * (tests, other bundlers in a browser) `process` may not exist at all, hence the guard.
 */
export function buildPlatform(): string | undefined {
  try {
    const target = process.env.UNI_PLATFORM || ''
    // Compared as a literal, so builds for other targets drop the App's branch.
    return process.env.UNI_PLATFORM === 'app' ? 'app-weixin' : target.startsWith('mp-') ? target : undefined
  } catch {
    return undefined
  }
}

/** The `uni.login` provider of this build: a mini-program's name without `mp-`, WeChat's in the App, none on H5. */
export function buildProvider(): string | undefined {
  try {
    const target = process.env.UNI_PLATFORM || ''
    return process.env.UNI_PLATFORM === 'app' ? 'weixin' : target.startsWith('mp-') ? target.slice(3) : undefined
  } catch {
    return undefined
  }
}

/**
 * The fields sent with every code: the option wins over the code source, which wins over the build.
 * An absent field stays `undefined`, which the JSON body leaves out. The mp-weixin build names no
 * platform: it is the backend's default, so the default install sends `{ code }` and carries none
 * of the build-target code (docs/ARCHITECTURE.md, "Build targets on the client"). Read unguarded,
 * as `normalizeOptions` reads `NODE_ENV`: uni's build writes both in, so the bundler folds the
 * comparison and drops `buildPlatform` from the mp-weixin bundle.
 */
export function loginFields(target: LoginTarget | undefined, getCode: CodeSource | undefined): LoginTarget {
  return process.env.UNI_PLATFORM === 'mp-weixin'
    ? { ...getCode?.target, ...target }
    : { platform: buildPlatform(), ...getCode?.target, ...target }
}
