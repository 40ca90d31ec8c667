// A tiny static file server for a uni H5 build (used by `npm run demo` and the browser e2e tests).
import { createReadStream, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

function statOrNull(path) {
  return statSync(path, { throwIfNoEntry: false }) ?? null
}

/**
 * Serves `dir`; unknown extension-less paths get index.html (the app's router owns them).
 * Returns an unstarted node:http server: call `listen()`.
 */
export function serveStatic(dir) {
  const base = resolve(dir)
  return createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    let pathname
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    } catch {
      response.writeHead(400).end()
      return
    }
    let file = normalize(join(base, pathname))
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403).end()
      return
    }
    let stats = statOrNull(file)
    if (stats?.isDirectory()) {
      file = join(file, 'index.html')
      stats = statOrNull(file)
    }
    if (!stats && !extname(pathname)) {
      file = join(base, 'index.html')
      stats = statOrNull(file)
    }
    if (!stats?.isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n')
      return
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': stats.size,
      // A rebuild must show up on reload.
      'cache-control': 'no-cache',
    })
    if (request.method === 'HEAD') response.end()
    else createReadStream(file).pipe(response)
  })
}
