export function startDevBuild(options: {
  platform?: string
  env: NodeJS.ProcessEnv
  cwd?: string
  waitFor: string
  onOutput?: (text: string) => void
}): {
  ready: Promise<void>
  stop(): Promise<void>
}
