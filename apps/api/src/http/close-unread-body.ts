import type Koa from 'koa';

/**
 * Closes the connection after answering a request whose body has not fully arrived (a GET with a
 * Content-Length it never sends, a 413 refused before reading, a client cut short): the rest of
 * that body could only end in a second answer to the same request, a late 408 from the request
 * timeout (http-server.ts), which a proxy reusing the connection would hand to its next client.
 * With `Connection: close` Node ends the connection once the answer is out.
 */
export function closeUnreadBody(): Koa.Middleware {
  return async function closeUnreadBody(ctx, next) {
    try {
      await next();
    } finally {
      if (!ctx.req.complete) ctx.set('Connection', 'close');
    }
  };
}
