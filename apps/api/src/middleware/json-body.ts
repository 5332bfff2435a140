import type { IncomingMessage } from 'node:http';
import bourne from '@hapi/bourne';
import type Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { ApiError } from '../api-error.js';

/** Largest accepted body (http-api.md, Conventions). */
export const BODY_LIMIT_BYTES = 16 * 1024;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

// Bodies a fast path read and then left to Koa (routes/signup-fast-path.ts), by request.
const handedOver = new WeakMap<IncomingMessage, string>();

/** Leaves a body already read off `req` (as text) for `jsonBody` to parse. */
export function handOverBody(req: IncomingMessage, text: string): void {
  handedOver.set(req, text);
}

/**
 * JSON text as koa-bodyparser (co-body, strict off) parses it: @hapi/bourne, which refuses
 * `__proto__` keys; an empty body stays ''. Throws SyntaxError (400 invalid_json).
 */
export function parseJsonBody(text: string): unknown {
  return text ? bourne.parse(text, { protoAction: 'error' }) : text;
}

function carriesBody(ctx: Koa.Context): boolean {
  return (
    ctx.get('Transfer-Encoding') !== '' || Number.parseInt(ctx.get('Content-Length') || '0', 10) > 0
  );
}

/**
 * JSON bodies only: a body sent as anything but `application/json` is 415; over 16 KiB is 413;
 * malformed JSON is 400 (mapped by the error handler). Parsing is not strict, so any JSON value
 * parses and the route's schema decides whether it is acceptable.
 */
export function jsonBody(): Koa.Middleware {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: `${BODY_LIMIT_BYTES}b`,
    strict: false,
    onerror: (error) => {
      throw error;
    },
  });
  return async function jsonBody(ctx, next) {
    // GET, HEAD, DELETE and OPTIONS take no input here: no parsing on the hot read paths.
    if (!BODY_METHODS.has(ctx.method)) return next();
    if (carriesBody(ctx) && ctx.request.is('application/json') === false) {
      throw new ApiError(415, 'unsupported_media_type');
    }
    const text = handedOver.get(ctx.req);
    if (text !== undefined) {
      ctx.request.body = parseJsonBody(text);
      ctx.request.rawBody = text;
      return next();
    }
    await parse(ctx, next);
  };
}
