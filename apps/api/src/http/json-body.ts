import type Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { ApiError } from './api-error.js';

/** Largest accepted body (docs/http-api.md, Conventions). */
export const BODY_LIMIT_BYTES = 16 * 1024;

function carriesBody(ctx: Koa.Context): boolean {
  return (
    ctx.get('Transfer-Encoding') !== '' || Number.parseInt(ctx.get('Content-Length') || '0', 10) > 0
  );
}

/**
 * JSON bodies only: a body sent as anything but `application/json` is 415; over 16 KiB is 413;
 * malformed JSON is 400 (mapped by the error handler). Parsing is not strict, so any JSON value
 * parses and the route's schema decides whether it is acceptable. Mounted on the routes that take
 * a body (routes/bind-route.ts), so reads and uploads never pass through it.
 */
export function jsonBody(): Koa.Middleware {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: `${BODY_LIMIT_BYTES}b`,
    strict: false,
    onerror: (error: Error) => {
      throw error;
    },
  });
  const accepted = ['application/json'];
  return async function jsonBody(ctx, next) {
    if (carriesBody(ctx) && ctx.request.is(accepted) === false) {
      throw new ApiError(415, 'unsupported_media_type');
    }
    await parse(ctx, next);
  };
}
