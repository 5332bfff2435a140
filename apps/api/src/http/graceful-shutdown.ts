import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { Server } from 'node:net';
import { SlotList } from './slot-list.js';

/** How long shutdown may take before the remaining connections are cut (exit within 10 s). */
export const SHUTDOWN_TIMEOUT_MS = 9_000;
/** How long keep-alive connections that are idle at shutdown may still bring one last request. */
export const IDLE_GRACE_MS = 500;
const IDLE_SWEEP_MS = 50;

/**
 * Returns `shutdown()`: stop accepting connections, let every request already accepted finish
 * (answered with `Connection: close`, so keep-alive clients go elsewhere), close keep-alive
 * connections once idle, and resolve when the server is closed. Connections still open after
 * `timeoutMs` are destroyed.
 */
export function gracefulShutdown(
  server: HttpServer,
  timeoutMs = SHUTDOWN_TIMEOUT_MS,
): () => Promise<void> {
  // Not a Set: one that takes and drops a response per request keeps dead requests alive in V8
  // (see SlotList).
  const inFlight = new SlotList<ServerResponse>();
  let closing: Promise<void> | null = null;

  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    const slot = inFlight.add(res);
    res.once('close', () => inFlight.delete(slot));
  });

  return function shutdown() {
    closing ??= new Promise<void>((resolve) => {
      for (const res of inFlight.values())
        if (!res.headersSent) res.setHeader('Connection', 'close');
      // http.Server#close() would also close idle keep-alive connections at once (Node >= 19); a
      // client sending its next request on one at that instant would see a reset instead of an
      // answer. So stop accepting with net.Server's close(), which leaves open connections alone,
      // and close idle ones after a short grace in which a request is still answered.
      let sweep: NodeJS.Timeout | undefined;
      const grace = setTimeout(
        () => {
          server.closeIdleConnections();
          sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
        },
        Math.min(IDLE_GRACE_MS, timeoutMs),
      );
      const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
      Server.prototype.close.call(server, () => {
        clearTimeout(grace);
        clearInterval(sweep);
        clearTimeout(deadline);
        resolve();
      });
    });
    return closing;
  };
}
