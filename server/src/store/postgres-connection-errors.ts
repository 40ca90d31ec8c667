import type pg from 'pg'

/**
 * A pg client reports a broken connection (PostgreSQL restarting or failing over, a dropped
 * socket) as an 'error' event, and an 'error' event nobody listens to ends the process. The pool
 * listens on its idle clients only: a client checked out for a query or a transaction has no
 * listener of the pool's, so each client gets one of its own as soon as it connects. The query that
 * was running fails by itself (the store turns that into 503 STORE_UNAVAILABLE), and the pool
 * drops the broken client when it is released: nothing else is needed to recover.
 */
export function survivePostgresConnectionErrors(pool: pg.Pool, onConnectionError?: (error: Error) => void): void {
  // The pool re-emits an idle client's error on itself (and would crash unheard); the client's own
  // listener below has reported it already.
  pool.on('error', () => {})
  pool.on('connect', (client) => {
    client.on('error', (error) => onConnectionError?.(error))
  })
}
