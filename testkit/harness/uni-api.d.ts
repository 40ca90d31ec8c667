declare module '@dcloudio/uni-mp-weixin/dist/uni.api.esm.js' {
  const uni: unknown
  export default uni
}
