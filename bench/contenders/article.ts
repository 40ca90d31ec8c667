/**
 * A faithful TypeScript port of the naive client described in docs/ARCHITECTURE.md ("The naive
 * client": a widely copied post on WeChat login, section "03/ 需求分析"), **bugs included**, for the
 * benchmarks. Each part names the article lines it follows.
 * Only two things are not in the article and had to be filled in, marked FILL-IN:
 * `loginApi` and `sendRequest` (the article imports / stubs them), written the plainest way.
 *
 * Differences that do not change behaviour:
 * - `Taro` is passed in (uni's API is the same shape: `uni.login`, `uni.checkSession`, ...).
 * - The article's module-level flags live in a closure, so one call of `createArticleClient` is one
 *   app run (each benchmark trial starts from a fresh module state, as a fresh launch would).
 * - `setTimeout` is injectable so a benchmark can cancel the pollers the article leaves running
 *   forever after a trial (its reLogin waiters never stop: see the note in `reLogin`).
 */
type Callback = (result: any) => void

/** The slice of `Taro` / `uni` the article uses. */
export interface TaroLike {
  login(options: { success?: Callback; fail?: Callback }): unknown
  checkSession(options: { success?: Callback; fail?: Callback; complete?: Callback }): unknown
  getStorageSync(key: string): unknown
  setStorageSync(key: string, value: unknown): void
  removeStorage(options: { key: string; complete?: Callback }): unknown
  request(options: Record<string, unknown>): unknown
}

export interface ArticleClientOptions {
  taro: TaroLike
  /** Prefixed to request URLs by the FILL-IN `sendRequest`. */
  baseUrl: string
  /** The FILL-IN `loginApi` posts `{ code }` here. */
  loginUrl: string
  setTimeout?: (callback: () => void, ms: number) => unknown
}

export function createArticleClient({ taro: Taro, baseUrl, loginUrl, setTimeout = globalThis.setTimeout }: ArticleClientOptions) {
  // FILL-IN for `import { loginApi } from '@/api'; // 登录接口`: POST the code, resolve with the body.
  function loginApi({ code }: { code: string }): Promise<{ token: string }> {
    return new Promise((resolve, reject) => {
      Taro.request({
        url: baseUrl + loginUrl,
        method: 'POST',
        data: { code },
        success: (res: { statusCode: number; data: { token: string } }) =>
          res.statusCode >= 200 && res.statusCode < 300 ? resolve(res.data) : reject(res),
        fail: reject,
      })
    })
  }

  // ---- Article "2. 登录加锁", the reLogin demo -------------------------------------------------
  // `let IS_LOGIN_ING = false;  //用来限制一下登录逻辑`
  let IS_LOGIN_ING = false

  function reLogin(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // `if (IS_LOGIN_ING) { setTimeout(() => { reLogin().then(...).catch(...) }, 500); }`
      // Waiters poll every 500 ms. On success the flag is never reset (see below), so once one login
      // has succeeded, every later reLogin() polls here forever and never settles.
      if (IS_LOGIN_ING) {
        setTimeout(() => {
          reLogin()
            .then((res) => {
              resolve(res)
            })
            .catch((_err) => {
              reject()
            })
        }, 500)
      } else {
        // `IS_LOGIN_ING = true; Taro.login({ success: async (res) => { loginApi({ code: res.code }) ...`
        IS_LOGIN_ING = true
        Taro.login({
          success: async (res: { code: string }) => {
            loginApi({ code: res.code })
              .then((res) => {
                // `//登陆成功,存一下token等` then `resolve();`: the article stores the token here
                // (how is not shown; FILL-IN: the key its checkSession reads). No `IS_LOGIN_ING = false`.
                Taro.setStorageSync('token', res.token)
                resolve(undefined)
              })
              .catch((_err) => {
                // `// 登录失败，解除锁，防止死锁`
                IS_LOGIN_ING = false
                reject()
              })
          },
          fail: (_err: unknown) => {
            // `// 登录失败，解除锁，防止死锁`
            IS_LOGIN_ING = false
            reject()
          },
        })
      }
    })
  }

  // ---- Article "3. session_key过期重新静默登录", the checkSession wrapper ------------------------
  // `let IS_SESSION_CHECKING = false; //是否在正在查看session_key`
  let IS_SESSION_CHECKING = false
  // `let IS_SESSION_REFRESH = false; //session_key是否刷新`
  let IS_SESSION_REFRESH = false

  // `const checkSessionResult = { VAILD: 0, RELOGIN: 1, UNAUTH: 2, FAILED: -1 }`
  const checkSessionResult = {
    VAILD: 0, //未过期
    RELOGIN: 1, //过期并重新登陆
    UNAUTH: 2, //首次登录使用小程序
    FAILED: -1,
  }

  function checkSession(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // `const token = Taro.getStorageSync('token');`
      const token = Taro.getStorageSync('token')
      if (IS_SESSION_CHECKING) {
        // `//正在检查session,请求延后` — poll again in 500 ms.
        setTimeout(() => {
          checkSession()
            .then((res) => {
              resolve(res)
            })
            .catch((_err) => {
              reject(checkSessionResult.FAILED)
            })
        }, 500)
      } else if (!IS_SESSION_REFRESH && token) {
        IS_SESSION_CHECKING = true
        Taro.checkSession({
          success: () => {
            // `// session_key 未过期，并且在本生命周期一直有效` — sets IS_SESSION_REFRESH = true, which
            // sends every later call to the `else` branch below: a reLogin on every request.
            IS_SESSION_REFRESH = true
            resolve(checkSessionResult.VAILD)
          },
          fail: () => {
            // `// session_key 已经失效，需要重新执行登录流程`
            Taro.removeStorage({
              key: 'token',
              complete: () => {
                reLogin() //静默登录
                  .then(() => {
                    resolve(checkSessionResult.RELOGIN)
                  })
                  .catch((_err) => {
                    reject(checkSessionResult.FAILED)
                  })
              },
            })
          },
          complete: () => {
            IS_SESSION_CHECKING = false
          },
        })
      } else {
        // `reLogin().then(...).catch(...); resolve(checkSessionResult.UNAUTH);` — resolves at once,
        // before the login finishes: the request goes out without a token.
        reLogin()
          .then((res) => {
            resolve(res)
          })
          .catch((_err) => {
            reject(checkSessionResult.FAILED)
          })
        resolve(checkSessionResult.UNAUTH)
      }
    })
  }

  // ---- Article "4.request改造", the fetch wrapper ---------------------------------------------
  // FILL-IN for `function sendRequest(){ //send requst }`: the stored token as a Bearer header;
  // any HTTP status resolves (uni/Taro report every status as success), a network failure rejects.
  function sendRequest(url: string, { method, params }: { method: string; params?: unknown }, type: string): Promise<any> {
    return new Promise((resolve, reject) => {
      const token = Taro.getStorageSync('token')
      Taro.request({
        url: baseUrl + url,
        method,
        data: params,
        header: { 'content-type': type, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        success: resolve,
        fail: reject,
      })
    })
  }

  // `export function fetch(url, { method = 'GET', params } = {}, type = 'application/json')`
  function fetch(
    url: string,
    { method = 'GET', params }: { method?: string; params?: unknown } = {},
    type = 'application/json',
  ): Promise<any> {
    return new Promise((resolve, reject) => {
      checkSession()
        .then((_res) => {
          sendRequest(url, { method, params }, type)
            .then((res) => resolve(res))
            .catch((err) => reject(err))
        })
        .catch((err) => reject(err))
    })
  }

  return { reLogin, checkSession, fetch, checkSessionResult }
}
