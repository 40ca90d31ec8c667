export { type BindPhoneOptions, bindPhone } from './bind-phone.js'
