import type Koa from 'koa';
import type { Logger } from 'pino';

// Paths are logged only when no route matched (then the pattern is unknown); anything that looks
// like an address is masked so that emails never reach the logs at `info`.
const EMAIL_LIKE = /[^/]*(@|%40)[^/]*/gi;

/** The request line at `info`: method, route pattern (or masked path), status, duration. */
export function logRequest(
  logger: Logger,
  method: string | undefined,
  where: { route: string } | { path: string },
  status: number,
  started: number,
): void {
  if (!logger.isLevelEnabled('info')) return;
  const ms = Math.round((performance.now() - started) * 10) / 10;
  logger.info({ method, ...where, status, ms }, 'request');
}

/** One structured line per request: method, route pattern, status, duration. */
export function requestLogger(logger: Logger): Koa.Middleware {
  return async function requestLogger(ctx, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      if (logger.isLevelEnabled('info')) {
        const route = ctx._matchedRoute;
        const where =
          typeof route === 'string'
            ? { route }
            : { path: ctx.path.replace(EMAIL_LIKE, '<masked>') };
        logRequest(logger, ctx.method, where, ctx.status, started);
      }
    }
  };
}
