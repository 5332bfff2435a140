import type Koa from 'koa';
import { ApiError } from './api-error.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * This server's origin as the request reached it (scheme and host; behind a trusted proxy, its
 * X-Forwarded-Proto and -Host). Not `ctx.origin`: Koa 3 answers that from the request's own
 * Origin header.
 */
export const ownOrigin = (ctx: Koa.Context): string => `${ctx.protocol}://${ctx.host}`;

/**
 * Refuses state-changing requests from other sites (docs/http-api.md, "Cross-site protection
 * and CORS"): an `Origin` that is neither ours nor allowed, or no `Origin` with
 * `Sec-Fetch-Site: cross-site`. Mounted on each state-changing route but the RFC 8058 one-click
 * unsubscribe (routes/bind-route.ts), and behind the router for requests no route took.
 */
export function originCheck(allowedOrigins: readonly string[]): Koa.Middleware {
  const allowed = new Set(allowedOrigins);
  return async function originCheck(ctx, next) {
    if (STATE_CHANGING.has(ctx.method)) {
      const origin = ctx.get('Origin');
      if (origin !== '') {
        // `Origin: null` (sandboxed frames, some redirects) never equals a real origin.
        if (origin !== ownOrigin(ctx) && !allowed.has(origin)) {
          throw new ApiError(403, 'forbidden_origin');
        }
      } else if (ctx.get('Sec-Fetch-Site') === 'cross-site') {
        throw new ApiError(403, 'forbidden_origin');
      }
    }
    await next();
  };
}
