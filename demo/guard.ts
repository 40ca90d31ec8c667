/** The demo's guarded pages: the Orders tab needs a login, the wallet a bound phone number too. */
export const GUARD = {
  pages: ['pages/orders/index'],
  requirePhone: ['pages/wallet/index'],
  loginPage: '/pages/login/index',
}
