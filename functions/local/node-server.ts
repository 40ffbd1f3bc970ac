/**
 * The API app on Node's HTTP server (@hono/node-server), as `podlab serve` runs it.
 *
 * `autoCleanupIncoming: false`: by default @hono/node-server drains the rest of a request whose
 * client has gone, and an app that had not read the body yet then read it as ended early, or
 * empty, without an error (an empty manifest was stored, and the client's retry got 409). Node
 * itself discards an unread body after the response and destroys the request of a closed
 * connection, so a body read after the client left fails instead (readBody answers 400).
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

/** Listens with `fetch` on `hostname:port` (0: a free port); resolves once listening. */
export function serveApp(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
  port: number,
  hostname: string,
): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch, port, hostname, autoCleanupIncoming: false }, () => resolve(s as Server));
    (s as Server).once('error', reject);
  });
}
