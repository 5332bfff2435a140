import type Koa from 'koa';
import type { Executor } from '../db/schema.js';

/**
 * Runs the rest of the request in one database transaction (`ctx.state.transaction`) and saves
 * the session inside it, through koa-session's own `manuallyCommit()`: a route that changes the
 * list and the visitor's session (a signup, say) commits both at once, or neither. koa-session's
 * save at the end of the request then finds nothing new to write (session-middleware.ts).
 * Handlers must send every statement of the request through `ctx.state.transaction`.
 */
export function inOneTransaction(db: Executor): Koa.Middleware {
  return async function inOneTransaction(ctx, next) {
    await db.transaction().execute(async (transaction) => {
      ctx.state.transaction = transaction;
      // Held from the start: a handler that drops the session (`ctx.session = null`) leaves
      // this object able to commit that removal.
      const session = ctx.session;
      try {
        await next();
        await session?.manuallyCommit();
      } finally {
        ctx.state.transaction = undefined;
      }
    });
  };
}
