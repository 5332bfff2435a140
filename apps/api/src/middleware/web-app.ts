import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { send } from '@koa/send';
import type Koa from 'koa';

/** Vite puts content-hashed files here: their URL changes whenever their content does. */
const HASHED_ASSETS = '/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built single-page app from `root`: hashed assets cached for a year, every other file
 * (and index.html) revalidated on each use, and any other GET that is not an API path answered with
 * index.html so that client-side routes work on reload.
 */
export function webApp(root: string): Koa.Middleware {
  const index = join(root, 'index.html');
  return async function webApp(ctx, next) {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !existsSync(index)) return next();
    const cacheControl = ctx.path.startsWith(HASHED_ASSETS) ? IMMUTABLE : 'no-cache';
    try {
      await send(ctx, ctx.path, {
        root,
        index: 'index.html',
        // The web build writes .br and .gz next to each asset; send picks one the client accepts,
        // so caches must keep the versions apart.
        brotli: true,
        gzip: true,
        setHeaders: (res) => {
          res.setHeader('Cache-Control', cacheControl);
          res.setHeader('Vary', 'Accept-Encoding');
        },
      });
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
      // A missing hashed asset is a real 404 (an old page asking for a file a deploy replaced).
      if (ctx.path.startsWith(HASHED_ASSETS)) return next();
      await send(ctx, 'index.html', {
        root,
        setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
      });
    }
  };
}
