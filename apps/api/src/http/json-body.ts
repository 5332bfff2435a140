import type Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { ApiError } from './api-error.js';

/** Largest accepted body (docs/http-api.md, Conventions). */
export const BODY_LIMIT_BYTES = 16 * 1024;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

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
export function jsonBody({
  streamedPaths = [],
  formPaths = [],
}: {
  /** Paths whose routes read a body of their own (an upload) as it streams in. */
  streamedPaths?: readonly string[];
  /** Paths that take a form body too (RFC 8058: `List-Unsubscribe=One-Click` from a provider). */
  formPaths?: readonly string[];
} = {}): Koa.Middleware {
  const streamed = new Set(streamedPaths);
  const onerror = (error: Error) => {
    throw error;
  };
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: `${BODY_LIMIT_BYTES}b`,
    strict: false,
    onerror,
  });
  const parseForm = bodyParser({
    enableTypes: ['json', 'form'],
    jsonLimit: `${BODY_LIMIT_BYTES}b`,
    formLimit: `${BODY_LIMIT_BYTES}b`,
    strict: false,
    onerror,
  });
  const forms = new Set(formPaths);
  return async function jsonBody(ctx, next) {
    // GET, HEAD, DELETE and OPTIONS take no input here: no parsing on the hot read paths.
    if (!BODY_METHODS.has(ctx.method) || streamed.has(ctx.path)) return next();
    if (forms.has(ctx.path)) {
      if (carriesBody(ctx) && !ctx.request.is('application/json', 'urlencoded')) {
        throw new ApiError(415, 'unsupported_media_type');
      }
      return parseForm(ctx, next);
    }
    if (carriesBody(ctx) && ctx.request.is('application/json') === false) {
      throw new ApiError(415, 'unsupported_media_type');
    }
    await parse(ctx, next);
  };
}
