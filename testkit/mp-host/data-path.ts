/** Applies one `setData` key (`a`, `m[0].a`, `user.name`) to a data object, as WeChat does. */
export function setByPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = parsePath(path)
  let node: Record<string, unknown> = target
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node[key] = value
      return
    }
    const next = node[key]
    if (typeof next !== 'object' || next === null) node[key] = /^\d+$/.test(keys[i + 1]!) ? [] : {}
    node = node[key] as Record<string, unknown>
  })
}

function parsePath(path: string): string[] {
  const keys: string[] = []
  for (const match of path.matchAll(/\[(\d+)\]|[^.[\]]+/g)) keys.push(match[1] ?? match[0])
  if (keys.length === 0) throw new Error(`setData: empty path "${path}"`)
  return keys
}
