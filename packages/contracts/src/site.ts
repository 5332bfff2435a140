import * as z from 'zod/mini';

/** The branding when the server sets none (SITE_NAME, SITE_TAGLINE): the cats. */
export const DEFAULT_SITE_NAME = 'Cats Everywhere';
export const DEFAULT_SITE_TAGLINE = 'News, photos and the occasional meow, straight to your inbox.';

/** What a page needs to know about the site it belongs to (GET /api/site). */
export const SiteResponse = z.object({
  /** SITE_NAME: the page title, the heading, the admin header. */
  name: z.string(),
  /** SITE_TAGLINE, under the heading; empty: none. */
  tagline: z.string(),
  /** PRIVACY_URL, linked under the signup form; null: no link. */
  privacyUrl: z.nullable(z.string()),
  /** Whether the admin area is on (ADMIN_PASSWORD is set), so /admin can say so before a login. */
  adminEnabled: z.boolean(),
  /**
   * Whether a signup must carry a solved proof-of-work challenge (SIGNUP_CHALLENGE), so the page
   * loads the widget that solves GET /api/challenge only when it is on.
   */
  challenge: z.boolean(),
  /**
   * SITE_LANGUAGES: the languages visitors may get (codes such as `de`), so the page offers a
   * language chooser when there is more than one.
   */
  languages: z.array(z.string()),
  /** SITE_DEFAULT_LANGUAGE: the language of a visitor who asks for none of `languages`. */
  defaultLanguage: z.string(),
  /**
   * Whether the signup page shows how many have signed up (site settings, SITE_SHOW_COUNT).
   * Optional for servers that predate it: absent means shown.
   */
  showCount: z.optional(z.boolean()),
  /**
   * The accent colour (`#rrggbb`, site settings or SITE_ACCENT_COLOR), null: the web app's own.
   * Pages get it through the stylesheet /site.css, which the served index.html links.
   */
  accentColor: z.optional(z.nullable(z.string())),
  /**
   * The logo the owner uploaded (`/logo/<hash>.<ext>`, POST /api/admin/logo), shown instead of the
   * cat mark; null or absent (a server that predates it): none.
   */
  logoUrl: z.optional(z.nullable(z.string())),
});

export type SiteResponse = z.infer<typeof SiteResponse>;

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
