import {
  DEFAULT_LANGUAGE,
  escapeHtml,
  SITE_META_NAME,
  type SiteResponse,
  TEXTS_META_NAME,
  type TextsResponse,
} from '@catlist/contracts';
import { pageTexts } from '../signup/page-texts.js';
import { signupPageHtml } from '../signup/subscribe-pages.js';
import { type RequestTexts, textsFor } from './language.js';

/** The element the SPA renders into (apps/web/index.html). */
const ROOT = '<div id="root"></div>';

/**
 * The SPA's index.html with this server's branding, so the first paint and the tab already carry
 * the site's name: the <title>, the description, and the SiteResponse as JSON in a <meta> element
 * that the SPA reads at start. Data in an attribute, never a script, so the strict CSP stays.
 * With `signupForm` (the signup page), the root element also holds the signup form for browsers
 * without JavaScript, posting to POST /subscribe; inside <noscript>, so that it neither shows nor
 * costs a script where the SPA runs (which replaces the root's content anyway).
 * All of it in `texts`' language (the request's): `<html lang>`, the description, the form, and
 * the language's texts as JSON in a second <meta> (TEXTS_META_NAME), so that the SPA shows them
 * without carrying any language in its code. With `stylesheet` (the site's accent, /site.css),
 * a link to it last in <head>.
 */
export function brandIndexHtml(
  html: string,
  site: SiteResponse,
  {
    signupForm = false,
    texts = textsFor(site.defaultLanguage || DEFAULT_LANGUAGE, site),
    stylesheet,
  }: { signupForm?: boolean; texts?: RequestTexts; stylesheet?: string | undefined } = {},
): string {
  const description =
    site.tagline === ''
      ? texts.t('description', { name: site.name })
      : `${site.name}: ${site.tagline}`;
  const served: TextsResponse = { lang: texts.lang, texts: texts.catalog };
  const meta = [
    `<meta name="${SITE_META_NAME}" content="${escapeHtml(JSON.stringify(site))}" />`,
    `<meta name="${TEXTS_META_NAME}" content="${escapeHtml(JSON.stringify(served))}" />`,
    // After the app's own stylesheet (Vite's link comes earlier in <head>), so its colours win.
    ...(stylesheet === undefined
      ? []
      : [`<link rel="stylesheet" href="${escapeHtml(stylesheet)}" />`]),
  ].join('\n    ');
  return html
    .replace(/<html(?: lang="[^"]*")?(?=[\s>])/, () => `<html lang="${escapeHtml(texts.lang)}"`)
    .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(site.name)}</title>`)
    .replace(
      /<meta name="description" content="[^"]*"\s*\/?>/,
      () => `<meta name="description" content="${escapeHtml(description)}" />`,
    )
    .replace('</head>', () => `    ${meta}\n  </head>`)
    .replace(ROOT, () =>
      signupForm
        ? `<div id="root"><noscript>${signupPageHtml(site, {}, pageTexts(texts), { scripted: false })}</noscript></div>`
        : ROOT,
    );
}
