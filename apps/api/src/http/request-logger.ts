import type Koa from 'koa';
import type { Logger } from 'pino';

// Paths are logged only when no route matched (then the pattern is unknown); anything that looks
// like an address is masked so that emails never reach the logs at `info`.
const EMAIL_LIKE = /[^/]*(@|%40)[^/]*/gi;

/** One structured line per request at `info`: method, route pattern (or masked path), status, duration. */
export function requestLogger(logger: Logger): Koa.Middleware {
  return async function requestLogger(ctx, next) {
    if (!logger.isLevelEnabled('info')) return next();
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = ctx._matchedRoute;
      const where =
        typeof route === 'string' ? { route } : { path: ctx.path.replace(EMAIL_LIKE, '<masked>') };
      const ms = Math.round((performance.now() - started) * 10) / 10;
      logger.info({ method: ctx.method, ...where, status: ctx.status, ms }, 'request');
    }
  };
}
