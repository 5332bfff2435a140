import type { SiteResponse } from '@catlist/contracts';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/database-errors.js';
import { ApiError } from './api-error.js';
import { requestLanguage, textsFor } from './language.js';

interface HttpLikeError {
  status?: unknown;
  type?: unknown;
}

/** Errors from the body parser (raw-body, co-body) and static files carry an HTTP status; map them. */
export function fromHttpError(error: unknown): ApiError | null {
  if (error instanceof SyntaxError) return new ApiError(400, 'invalid_json');
  if (typeof error !== 'object' || error === null) return null;
  const { status, type } = error as HttpLikeError;
  if (type === 'entity.parse.failed') return new ApiError(400, 'invalid_json');
  if (status === 413) return new ApiError(413, 'payload_too_large');
  if (status === 415) return new ApiError(415, 'unsupported_media_type');
  // Static files: a path outside the web root or a hidden file is simply not there.
  if (status === 404 || status === 403) return new ApiError(404, 'not_found');
  if (typeof type === 'string' && /^(request|entity|encoding|charset)\./.test(type)) {
    // request.size.invalid, request.aborted, ...: the body could not be read as sent.
    return new ApiError(400, 'invalid_request', {
      message: 'The request body could not be read.',
    });
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError(400, 'invalid_request');
  }
  return null;
}

const ADMIN_PATHS = '/api/admin/';

/**
 * The error's message in the request's language (`site`'s languages), or as it was written when
 * it has no text of its own; the code stays the same in every language.
 */
export function localMessage(
  ctx: Koa.Context,
  error: ApiError,
  site: Pick<SiteResponse, 'name' | 'languages' | 'defaultLanguage'> | undefined,
): string {
  // The admin area is in English for now, its errors too.
  if (error.text === undefined || site === undefined || ctx.path.startsWith(ADMIN_PATHS)) {
    return error.message;
  }
  return textsFor(requestLanguage(ctx, site), site).t(error.text);
}

function send(ctx: Koa.Context, error: ApiError, site?: SiteResponse): void {
  ctx.status = error.status;
  ctx.set(error.headers);
  // Language-dependent: caches must keep the answers apart.
  if (site !== undefined) ctx.vary('Accept-Language');
  ctx.body = {
    error: {
      code: error.code,
      message: localMessage(ctx, error, site),
      ...(error.issues ? { issues: error.issues } : {}),
    },
  };
}

/**
 * The single error path: an ApiError becomes `{ error: { code, message } }`; anything unexpected
 * is logged and answered with a generic 500, never a stack trace or SQL text.
 */
export function errorHandler(logger: Logger, siteNow?: () => SiteResponse): Koa.Middleware {
  return async function errorHandler(ctx, next) {
    try {
      await next();
      if (ctx.body == null && ctx.status === 404) throw new ApiError(404, 'not_found');
      if (ctx.body == null && ctx.status === 405) throw new ApiError(405, 'method_not_allowed');
    } catch (error) {
      // The site as last read: an error never waits for the database (it may be the error).
      const site = siteNow?.();
      const known = error instanceof ApiError ? error : fromHttpError(error);
      if (known) {
        send(ctx, known, site);
        return;
      }
      if (isDatabaseUnavailable(error)) {
        logger.warn({ err: error, route: ctx._matchedRoute }, 'database unavailable');
        send(
          ctx,
          new ApiError(503, 'service_unavailable', { headers: { 'Retry-After': '5' } }),
          site,
        );
        return;
      }
      logger.error({ err: error, method: ctx.method, route: ctx._matchedRoute }, 'unhandled error');
      send(ctx, new ApiError(500, 'internal_error'), site);
    }
  };
}
