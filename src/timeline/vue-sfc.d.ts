declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<{ limit?: number }>
  export default component
}
