import bourne from '@hapi/bourne';
import type Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { ApiError } from './api-error.js';
import { bodyReadError, checkJsonCharset, contentCoding } from './body-decoding.js';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Largest accepted body (docs/http-api.md, Conventions). */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** Whether the request says a body follows (a length above zero, or chunks). */
export function carriesBody(ctx: Koa.Context): boolean {
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
  // koa-bodyparser reads the body (size limit, Content-Encoding) as text, one char per byte
  // (latin1), and the JSON is parsed here: its UTF-8 decoder would turn bytes that are not UTF-8
  // into U+FFFD and let the request go on with them; this one refuses them.
  const read = bodyParser({
    enableTypes: ['text'],
    extendTypes: { text: ['application/json'] },
    textLimit: `${BODY_LIMIT_BYTES}b`,
    encoding: 'latin1',
    // Called with the failures of reading only (not those of the routes after it).
    onerror: (error: Error) => {
      throw bodyReadError(error);
    },
  });
  const accepted = ['application/json'];
  return async function jsonBody(ctx, next) {
    if (carriesBody(ctx)) {
      if (ctx.request.is(accepted) === false) throw new ApiError(415, 'unsupported_media_type');
      // Content codings are case-insensitive (RFC 9110, 8.4.1); the reader below only knows them
      // in lower case.
      ctx.req.headers['content-encoding'] = contentCoding(ctx.req);
      checkJsonCharset(ctx.request.charset);
    }
    await read(ctx, async () => {});
    if (typeof ctx.request.body === 'string') ctx.request.body = parseJson(ctx.request.body);
    await next();
  };
}

/** The JSON of a body read as latin1: strict UTF-8 (a byte-order mark is dropped), any value. */
function parseJson(bytes: string): unknown {
  let text: string;
  try {
    text = STRICT_UTF8.decode(Buffer.from(bytes, 'latin1'));
  } catch {
    throw new ApiError(400, 'invalid_request', { message: 'Send JSON as UTF-8.' });
  }
  // As co-body parses (not strict: any JSON value; bourne refuses `__proto__` keys with a
  // SyntaxError, which the error handler answers as invalid_json). An empty body is no input.
  return text === '' ? text : bourne.parse(text, { protoAction: 'error' });
}
