// The site's constants, apart from its schema (SiteResponse, in public-endpoints.ts): the web
// app's first load reads these, and zod loads only with the API client.
import type { SiteResponse } from './public-endpoints.js';

/** The branding when the server sets none (SITE_NAME, SITE_TAGLINE): the cats. */
export const DEFAULT_SITE_NAME = 'Cats Everywhere';
export const DEFAULT_SITE_TAGLINE = 'News, photos and the occasional meow, straight to your inbox.';

/**
 * The `name` of the <meta> element in which the server writes the SiteResponse (as JSON, escaped
 * as an attribute) into the index.html it serves, so the first paint already has the right name
 * without an inline script.
 */
export const SITE_META_NAME = 'catlist-site';

/**
 * Whether the site is the Cats Everywhere demo (no SITE_NAME set): only then do the pages speak
 * of cats and show the cat mark; a site of one's own gets the neutral texts.
 */
export const isDemoSite = (site: Pick<SiteResponse, 'name'>) => site.name === DEFAULT_SITE_NAME;

/**
 * The `name` of the <meta> element in which the server writes the TextsResponse of the page's
 * language into the index.html it serves, as SITE_META_NAME does with the site: the texts are
 * data in the page, not code in the web app's first load.
 */
export const TEXTS_META_NAME = 'catlist-texts';
