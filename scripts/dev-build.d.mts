export function startDevBuild(options: { platform?: string; env: NodeJS.ProcessEnv; cwd?: string; waitFor: string }): {
  ready: Promise<void>
  stop(): Promise<void>
}
