import bourne from '@hapi/bourne';
import type Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { ApiError } from './api-error.js';
import { bodyReadError, checkUtf8Charset, contentCoding } from './body-decoding.js';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const NOT_UTF8 = 'Send JSON as UTF-8.';

/** Largest accepted body (docs/http-api.md, Conventions). */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** Whether the request says a body follows (a length above zero, or chunks). */
function carriesBody(ctx: Koa.Context): boolean {
  return (
    ctx.get('Transfer-Encoding') !== '' || Number.parseInt(ctx.get('Content-Length') || '0', 10) > 0
  );
}

/** What a text body reader says when it refuses a body. */
export interface TextBodyMessages {
  /** For `415`, a body of another media type (default: the error code's own message). */
  unsupported?: string;
  /** For `400`, a body that declares a charset other than UTF-8. */
  notUtf8: string;
}

/**
 * Reads a body sent as one of `types` as text, one char per byte (latin1), for the caller to
 * decode strictly: koa-bodyparser's UTF-8 decoder would turn bytes that are not UTF-8 into U+FFFD
 * and let the request go on with them. At most 16 KiB (else 413), decoded from its
 * Content-Encoding (http/body-decoding.ts: undecodable is 400, an unknown coding 415); another
 * media type is 415, a declared charset other than UTF-8 is 400. Resolves to the text, or
 * undefined when no body came.
 */
export function textBodyReader(
  types: readonly string[],
  messages: TextBodyMessages,
  limitBytes = BODY_LIMIT_BYTES,
): (ctx: Koa.Context) => Promise<string | undefined> {
  const read = bodyParser({
    enableTypes: ['text'],
    extendTypes: { text: [...types] },
    textLimit: `${limitBytes}b`,
    encoding: 'latin1',
    // Called with the failures of reading only (not those of the routes after it).
    onerror: (error: Error) => {
      throw bodyReadError(error);
    },
  });
  const unsupported = messages.unsupported === undefined ? {} : { message: messages.unsupported };
  return async function readTextBody(ctx) {
    if (carriesBody(ctx)) {
      if (ctx.request.is([...types]) === false) {
        throw new ApiError(415, 'unsupported_media_type', unsupported);
      }
      // Content codings are case-insensitive (RFC 9110, 8.4.1); the reader below only knows them
      // in lower case.
      ctx.req.headers['content-encoding'] = contentCoding(ctx.req);
      checkUtf8Charset(ctx.request.charset, messages.notUtf8);
    }
    await read(ctx, async () => {});
    return typeof ctx.request.body === 'string' ? ctx.request.body : undefined;
  };
}

/**
 * JSON bodies only: a body sent as anything but `application/json` is 415; over 16 KiB is 413;
 * malformed JSON is 400 (mapped by the error handler); one that cannot be decoded as sent (its
 * Content-Encoding or charset, http/body-decoding.ts) is 400 invalid_request, an unknown
 * Content-Encoding 415. Parsing is not strict, so any JSON value
 * parses and the route's schema decides whether it is acceptable. Mounted on the routes that take
 * a body (routes/bind-route.ts), so reads and uploads never pass through it.
 */
export function jsonBody(limitBytes = BODY_LIMIT_BYTES): Koa.Middleware {
  const read = textBodyReader(['application/json'], { notUtf8: NOT_UTF8 }, limitBytes);
  return async function jsonBody(ctx, next) {
    const text = await read(ctx);
    if (text !== undefined) ctx.request.body = parseJson(text);
    await next();
  };
}

/** The JSON of a body read as latin1: strict UTF-8 (a byte-order mark is dropped), any value. */
function parseJson(bytes: string): unknown {
  let text: string;
  try {
    text = STRICT_UTF8.decode(Buffer.from(bytes, 'latin1'));
  } catch {
    throw new ApiError(400, 'invalid_request', { message: NOT_UTF8 });
  }
  // As co-body parses (not strict: any JSON value; bourne refuses `__proto__` keys with a
  // SyntaxError, which the error handler answers as invalid_json). An empty body is no input.
  return text === '' ? text : bourne.parse(text, { protoAction: 'error' });
}
