import type Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { ApiError } from './api-error.js';
import { bodyReadError, checkJsonCharset, contentCoding } from './body-decoding.js';

/** Largest accepted body (docs/http-api.md, Conventions). */
export const BODY_LIMIT_BYTES = 16 * 1024;

function carriesBody(ctx: Koa.Context): boolean {
  return (
    ctx.get('Transfer-Encoding') !== '' || Number.parseInt(ctx.get('Content-Length') || '0', 10) > 0
  );
}

/**
 * JSON bodies only: a body sent as anything but `application/json` is 415; over 16 KiB is 413;
 * malformed JSON is 400 (mapped by the error handler); one that cannot be decoded as sent (its
 * Content-Encoding or charset, http/body-decoding.ts) is 400 invalid_request, an unknown
 * Content-Encoding 415. Parsing is not strict, so any JSON value
 * parses and the route's schema decides whether it is acceptable. Mounted on the routes that take
 * a body (routes/bind-route.ts), so reads and uploads never pass through it.
 */
export function jsonBody(): Koa.Middleware {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: `${BODY_LIMIT_BYTES}b`,
    strict: false,
    // Called with the failures of reading and parsing only (not those of the routes after it).
    onerror: (error: Error) => {
      throw bodyReadError(error);
    },
  });
  const accepted = ['application/json'];
  return async function jsonBody(ctx, next) {
    if (carriesBody(ctx)) {
      if (ctx.request.is(accepted) === false) throw new ApiError(415, 'unsupported_media_type');
      contentCoding(ctx.req);
      checkJsonCharset(ctx.request.charset);
    }
    await parse(ctx, next);
  };
}
