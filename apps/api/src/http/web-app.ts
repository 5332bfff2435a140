import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PAGES, pageAt } from '@catlist/contracts';
import { send } from '@koa/send';
import type Koa from 'koa';
import type { SiteSource } from '../settings/live-site.js';
import { SITE_CSS_PATH } from '../settings/site-css.js';
import { brandIndexHtml } from './brand-index-html.js';
import { requestLanguage } from './language.js';

/** Vite puts content-hashed files here: their URL changes whenever their content does. */
const HASHED_ASSETS = '/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The SPA's shell: served for its pages (and the not-found page), never as a file of its own. */
const INDEX = 'index.html';

/**
 * Serves the built single-page app from `root`: hashed assets cached for a year, every other file
 * revalidated on each use. The SPA's pages (PAGES, shared with the SPA's router) answer index.html
 * with 200, so client-side routes work on reload; any other path that is not a file answers it with
 * 404, and the SPA shows its not-found page. index.html goes out with the site's branding in it,
 * as its settings are now (`live`) with the logo now (`logoUrl`), and links the accent's
 * stylesheet when the site has an accent.
 */
export function webApp(
  root: string,
  live: SiteSource,
  logoUrl: () => Promise<string | null> = async () => null,
): Koa.Middleware {
  const index = join(root, INDEX);

  async function sendIndex(ctx: Koa.Context, status: number, signupForm = false): Promise<void> {
    ctx.remove('Content-Encoding');
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-cache');
    // In the visitor's language: `?lang=` (a link to one language), the chooser's cookie, or
    // Accept-Language (http/language.ts); caches must keep the languages apart.
    ctx.vary('Accept-Language');
    const lang = typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined;
    const snapshot = await live.fresh();
    const { site } = snapshot;
    const texts = snapshot.texts(requestLanguage(ctx, site, lang));
    const stylesheet =
      snapshot.css === '' ? undefined : `${SITE_CSS_PATH}?v=${snapshot.cssVersion}`;
    // Read on each use: small, and a deploy that rebuilds the SPA needs no restart to show.
    ctx.body = brandIndexHtml(
      await readFile(index, 'utf8'),
      { ...site, logoUrl: await logoUrl() },
      {
        signupForm,
        texts,
        stylesheet,
      },
    );
  }

  return async function webApp(ctx, next) {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !existsSync(index)) return next();
    const page = pageAt(ctx.path);
    if (page !== null) {
      // Pages kept out of search results; robots.txt also asks crawlers not to fetch them.
      if (!PAGES[page].indexed) ctx.set('X-Robots-Tag', 'noindex, nofollow');
      // The signup page works without JavaScript too: it carries the HTML form.
      return sendIndex(ctx, 200, page === '/');
    }
    const cacheControl = ctx.path.startsWith(HASHED_ASSETS) ? IMMUTABLE : 'no-cache';
    let served: string | undefined;
    try {
      // send answers nothing (undefined) for folders and hidden files, and throws 404 for the rest.
      if (ctx.path !== `/${INDEX}`) {
        served = await send(ctx, ctx.path, {
          root,
          // The web build writes .br and .gz next to each asset; send picks one the client
          // accepts, so caches must keep the versions apart.
          brotli: true,
          gzip: true,
          setHeaders: (res) => {
            res.setHeader('Cache-Control', cacheControl);
            res.setHeader('Vary', 'Accept-Encoding');
          },
        });
      }
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
    if (served) return;
    // A missing hashed asset is a plain 404 (an old page asking for a file a deploy replaced).
    if (ctx.path.startsWith(HASHED_ASSETS)) return next();
    await sendIndex(ctx, 404);
  };
}
