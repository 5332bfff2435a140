import type Koa from 'koa';
import type { SiteSource } from './live-site.js';

/** The site's accent as a stylesheet, linked from the served index.html (http/web-app.ts). */
export const SITE_CSS_PATH = '/site.css';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves SITE_CSS_PATH: the accent's custom properties, which the web app's stylesheet uses
 * (no inline style: the pages' CSP allows stylesheets from this origin only). index.html links it
 * as `/site.css?v=<hash of its content>`: a save makes a new URL, so that URL may be cached for
 * good; any other `v` (an instance that has not seen the save yet, or no `v`) is revalidated.
 */
export function siteCss(live: SiteSource): Koa.Middleware {
  return async function siteCss(ctx, next) {
    if (ctx.path !== SITE_CSS_PATH || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) {
      return next();
    }
    const snapshot = await live.fresh();
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('Cache-Control', ctx.query.v === snapshot.cssVersion ? IMMUTABLE : 'no-cache');
    ctx.body = snapshot.css;
  };
}
