import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How long shutdown may take before the remaining connections are cut (exit within 10 s). */
export const SHUTDOWN_TIMEOUT_MS = 9_000;
const IDLE_SWEEP_MS = 50;

/**
 * Returns `shutdown()`: stop accepting connections, let every request already accepted finish
 * (answered with `Connection: close`, so keep-alive clients reconnect elsewhere), close idle
 * keep-alive sockets as they become idle, and resolve once the server is closed. Connections still
 * open after `timeoutMs` are destroyed.
 */
export function gracefulShutdown(
  server: Server,
  timeoutMs = SHUTDOWN_TIMEOUT_MS,
): () => Promise<void> {
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | null = null;

  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });

  return function shutdown() {
    closing ??= new Promise<void>((resolve) => {
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(deadline);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
}
