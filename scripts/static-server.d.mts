import type { Server } from 'node:http'

/**
 * Serves `dir`; unknown extension-less paths get index.html. Returns an unstarted server.
 */
export function serveStatic(dir: string): Server
