import cors from '@koa/cors';
import type Koa from 'koa';

/**
 * Credentialed CORS for the listed origins only, never `*`: an origin is granted only when it is
 * exactly one of them (scheme, host and port), so a look-alike such as a longer host gets nothing.
 */
export function corsFor(allowedOrigins: ReadonlySet<string>): Koa.Middleware {
  return cors({
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return allowedOrigins.has(origin) ? origin : '';
    },
    credentials: true,
    allowMethods: ['GET', 'HEAD', 'POST', 'DELETE'],
    allowHeaders: ['Content-Type'],
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
}
