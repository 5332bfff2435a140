import type Koa from 'koa';
import type { Logger } from 'pino';

// Paths are logged only when no route matched (then the pattern is unknown); anything that looks
// like an address is masked so that emails never reach the logs at `info`.
const EMAIL_LIKE = /[^/]*(@|%40)[^/]*/gi;

/** One structured line per request: method, route pattern, status, duration. */
export function requestLogger(logger: Logger): Koa.Middleware {
  return async function requestLogger(ctx, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      if (logger.isLevelEnabled('info')) {
        const route = ctx._matchedRoute;
        logger.info(
          {
            method: ctx.method,
            ...(typeof route === 'string'
              ? { route }
              : { path: ctx.path.replace(EMAIL_LIKE, '<masked>') }),
            status: ctx.status,
            ms: Math.round((performance.now() - started) * 10) / 10,
          },
          'request',
        );
      }
    }
  };
}
